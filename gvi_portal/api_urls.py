from rest_framework.routers import DefaultRouter

from agencies.api.views import AgencyViewSet, LegalBasisViewSet, ShareViewSet
from cases.api.views import DistrictViewSet, IndividualViewSet

router = DefaultRouter()
router.register("individuals", IndividualViewSet, basename="individual")
router.register("shares", ShareViewSet, basename="share")
router.register("agencies", AgencyViewSet, basename="agency")
router.register("legal-bases", LegalBasisViewSet, basename="legal-basis")
router.register("districts", DistrictViewSet, basename="district")

urlpatterns = router.urls
