from rest_framework.routers import DefaultRouter

from agencies.api.views import AgencyViewSet, LegalBasisViewSet, ShareViewSet
from cases.api.group_views import GroupRelationViewSet, GroupViewSet, MembershipViewSet
from cases.api.incident_views import IncidentViewSet
from cases.api.views import DistrictViewSet, IndividualViewSet

router = DefaultRouter()
router.register("individuals", IndividualViewSet, basename="individual")
router.register("groups", GroupViewSet, basename="group")
router.register("group-relations", GroupRelationViewSet, basename="group-relation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("shares", ShareViewSet, basename="share")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("legal-bases", LegalBasisViewSet, basename="legal-basis")
router.register("districts", DistrictViewSet, basename="district")

urlpatterns = router.urls
