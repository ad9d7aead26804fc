from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Register och ärenden"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from agencies.legal_bases import register_birth_year_lookup

        from . import choosers, home_sections, record_links
        from .birth_years import birth_year_of
        from .reference_data import on_post_migrate

        choosers.register()
        home_sections.register()
        record_links.register()
        register_birth_year_lookup(birth_year_of)

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="cases.reference_data")
