"""The incident register pages, mounted at /handelser/."""

urlpatterns: list = []
