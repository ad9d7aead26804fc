from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Myndigheter och åtkomst"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from . import checks  # noqa: F401  registers the protected-model system check
        from .access import load_permission_ids
        from .append_only import ensure_installed
        from .reference_data import on_post_migrate

        post_migrate.connect(load_permission_ids, dispatch_uid="agencies.load_permission_ids")
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="agencies.reference_data")
        post_migrate.connect(ensure_installed, sender=self, dispatch_uid="agencies.append_only")
        from .second_factor import remember_enrolment

        user_logged_in.connect(remember_enrolment, dispatch_uid="agencies.second_factor")
