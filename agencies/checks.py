from django.apps import apps
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

from .models import ProtectedModel


@register()
def protected_models_have_grant_tables(app_configs, **kwargs):
    """A protected model without its two direct-FK grant tables would silently be owner-only."""
    from .access import grant_models

    errors = []
    for model in apps.get_models():
        if issubclass(model, ProtectedModel):
            try:
                grant_models(model)
            except ImproperlyConfigured as exc:
                errors.append(Error(str(exc), obj=model, id="agencies.E001"))
    return errors
