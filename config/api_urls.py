"""``/api/v1/``: each app registers its viewsets on the shared router and adds plain paths."""

from django.urls import include, path

from core.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
urlpatterns = []

for module in ("access", "tags", "jobs", "plugins_app", "entrypoints", "workflows"):
    api = __import__(f"{module}.api.urls", fromlist=["register"])
    urlpatterns += api.register(router)

urlpatterns += [path("", include(router.urls))]
