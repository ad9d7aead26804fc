"""The joint exit-support case pages, mounted at /arenden/ (Swedish paths, English names)."""

from django.urls import path

from ..views import case_entries, disclosures, exit_case_header, exit_case_plan, exit_cases, share

urlpatterns = [
    path("", exit_cases.exit_case_list, name="exit-case-list"),
    path("mina/", exit_cases.my_cases, name="my-cases"),
    path("nytt/", exit_cases.exit_case_create, name="exit-case-create"),
    path("<int:pk>/", exit_cases.exit_case_detail, name="exit-case-detail"),
    path("<int:pk>/andra/", exit_case_header.exit_case_update, name="exit-case-update"),
    path("<int:pk>/fas/", exit_case_header.exit_case_phase, name="exit-case-phase"),
    path("<int:pk>/avsluta/", exit_case_header.exit_case_close, name="exit-case-close"),
    # Inviting an agency is a share of the header (services.case_join), through the one share dialog.
    path("<int:pk>/bjud-in/", share.share_object, {"kind": "exit_case"}, name="exit-case-invite"),
    # One decision for one situation: the header, the person and chosen entries to one agency (lead only).
    path("<int:pk>/dela/", disclosures.exit_case_disclose, name="exit-case-disclose"),
    path("<int:pk>/poster/ny/", case_entries.case_entry_create, name="case-entry-create"),
    path("poster/<int:pk>/andra/", case_entries.case_entry_update, name="case-entry-update"),
    path("poster/<int:pk>/dela/", share.share_object, {"kind": "case_entry"}, name="case-entry-share"),
    path("<int:pk>/mal/ny/", exit_case_plan.exit_case_goal_add, name="exit-case-goal-add"),
    path("<int:pk>/mal/<int:goal_pk>/status/", exit_case_plan.exit_case_goal_status, name="exit-case-goal-status"),
    path("<int:pk>/uppgifter/ny/", exit_case_plan.exit_case_task_add, name="exit-case-task-add"),
    path("mal/<int:pk>/dela/", share.share_object, {"kind": "plan_goal"}, name="plan-goal-share"),
    path("uppgifter/<int:pk>/dela/", share.share_object, {"kind": "task"}, name="plan-task-share"),
]
