"""The personal iCalendar feed, mounted at /kalender/."""

from django.urls import path

from ..views import calendar

urlpatterns = [
    path("", calendar.calendar_settings, name="calendar-settings"),
    path("<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
