from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Register och ärenden"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import choosers
        from .reference_data import on_post_migrate

        choosers.register()

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="cases.reference_data")
