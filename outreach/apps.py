from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = "Uppsökande arbete"

    def ready(self) -> None:
        # `cases` never imports `outreach`: outreach plugs its kinds, sections and demo data into the
        # extension points cases offers (cases.shareables, cases.extensions).
        from . import choosers, disclosure, retention, sections, shareables
        from .demo import register as register_demo

        shareables.register()
        disclosure.register()
        choosers.register()
        sections.register()
        retention.register_kinds()
        register_demo()
