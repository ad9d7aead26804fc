from django.urls import path
from rest_framework.routers import DefaultRouter

from agencies.api.views import AgencyViewSet, LegalBasisViewSet, ShareViewSet
from cases.api.consent_views import ConsentViewSet
from cases.api.entry_views import CaseEntryViewSet
from cases.api.exit_case_views import ExitCaseViewSet
from cases.api.goal_views import PlanGoalViewSet
from cases.api.group_views import GroupRelationViewSet, GroupViewSet, MembershipViewSet
from cases.api.incident_views import IncidentViewSet
from cases.api.task_views import TaskViewSet
from cases.api.views import DistrictViewSet, IndividualViewSet
from dashboards.api.views import StatisticsView
from outreach.api.callin_views import CallInViewSet, InvitationViewSet
from outreach.api.enforcement_views import EnforcementResponseViewSet
from outreach.api.notification_views import NotificationViewSet
from outreach.api.review_views import ReviewMeetingViewSet

router = DefaultRouter()
router.register("individuals", IndividualViewSet, basename="individual")
router.register("groups", GroupViewSet, basename="group")
router.register("group-relations", GroupRelationViewSet, basename="group-relation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("exit-cases", ExitCaseViewSet, basename="exit-case")
router.register("case-entries", CaseEntryViewSet, basename="case-entry")
router.register("tasks", TaskViewSet, basename="task")
router.register("plan-goals", PlanGoalViewSet, basename="plan-goal")
router.register("consents", ConsentViewSet, basename="consent")
router.register("call-ins", CallInViewSet, basename="call-in")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("enforcement-responses", EnforcementResponseViewSet, basename="enforcement-response")
router.register("review-meetings", ReviewMeetingViewSet, basename="review-meeting")
router.register("shares", ShareViewSet, basename="share")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("legal-bases", LegalBasisViewSet, basename="legal-basis")
router.register("districts", DistrictViewSet, basename="district")

urlpatterns = [*router.urls, path("statistics/", StatisticsView.as_view(), name="statistics")]
