from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Register och ärenden"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from agencies.legal_bases import register_birth_year_lookup
        from agencies.selectors.log_review_patterns import register_case_periods

        from . import choosers, home_sections, record_kinds, retention
        from .birth_years import birth_year_of
        from .demo import log_reviews as demo_log_reviews
        from .log_review import case_periods
        from .reference_data import on_post_migrate

        choosers.register()
        home_sections.register()
        record_kinds.register()
        retention.register_kinds()
        register_birth_year_lookup(birth_year_of)
        register_case_periods(case_periods)
        demo_log_reviews.register()

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="cases.reference_data")
