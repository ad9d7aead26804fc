"""The task lists, mounted at /uppgifter/ (Swedish paths, English names)."""

from django.urls import path

from ..views import tasks

urlpatterns = [
    path("", tasks.my_tasks, name="my-tasks"),
    path("myndigheten/", tasks.agency_tasks, name="agency-tasks"),
    path("<int:pk>/status/", tasks.task_status, name="task-status"),
]
