from django.apps import AppConfig


class ExtractsConfig(AppConfig):
    name = "extracts"
    verbose_name = "Registerutdrag"

    def ready(self) -> None:
        # `cases` never imports `extracts`: the person page's link comes in through cases.extensions, the demo
        # extract through its demo seeders.
        from . import demo, retention, sections

        sections.register()
        demo.register()
        retention.register_kinds()
