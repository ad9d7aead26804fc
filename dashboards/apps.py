from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Instrumentpaneler"

    def ready(self) -> None:
        # Demo data through the extension point cases offers (cases never imports dashboards).
        from .demo import register as register_demo

        register_demo()
