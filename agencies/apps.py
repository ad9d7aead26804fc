from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Myndigheter och åtkomst"

    def ready(self) -> None:
        from . import checks  # noqa: F401  registers the protected-model system check
