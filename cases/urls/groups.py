"""The group registry pages, mounted at /grupperingar/."""

urlpatterns: list = []
