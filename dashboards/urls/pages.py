from django.urls import path

from ..views import exports, pages, runs, surveys

app_name = "dashboards"

urlpatterns = [
    path("", pages.joint, name="joint"),
    path("myndighet/", pages.lead, name="lead"),
    path("myndighet/lista/<str:figure>/", pages.drill, name="drill"),
    path("berakning/", runs.run_request, name="run-request"),
    path("berakning/<int:pk>/", runs.run_detail, name="run"),
    path("export.<str:fmt>", exports.joint_export, name="joint-export"),
    path("myndighet/export.<str:fmt>", exports.lead_export, name="lead-export"),
    path("rapport/", exports.quarterly_report, name="report"),
    path("enkater/", surveys.survey_upload, name="survey-upload"),
    path("enkater/<int:pk>/", surveys.survey_import_detail, name="survey-import"),
]
