from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ repeats|get_item:n.pk }}`: a dict lookup by a variable key (the template language has none)."""
    return mapping.get(key) if mapping else None
