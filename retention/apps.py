from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Gallring"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        post_migrate.connect(_ensure_default_rules, sender=self, dispatch_uid="retention.default_rules")


def _ensure_default_rules(sender, **kwargs) -> None:
    # The data migration seeds the rules once; a flush (transactional tests, `manage.py flush`) empties the
    # tables and then sends post_migrate, so missing categories are put back here. Existing ones are never changed.
    from .defaults import seed
    from .models import RetentionCategory, RetentionRule

    seed(RetentionCategory, RetentionRule)
