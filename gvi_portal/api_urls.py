from rest_framework.routers import DefaultRouter

router = DefaultRouter()
# Each app registers its viewsets here (agencies.api.views, cases.api.views).

urlpatterns = router.urls
