"""Root URLs: pages, the admin, the API and its schema."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import views as core_views
from core.named_pages import named_urls
from jobs.queue_pages import QUEUES
from plugins_app.urls import plugin_urls, type_urls
from tags.views import TAGS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/schema/swagger/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("entrypoints/", include("entrypoints.urls")),
    path("plugins/", include(plugin_urls)),
    path("types/", include(type_urls)),
    path("jobs/", include("jobs.urls")),
    path("import/", include("workflows.urls")),
    path("queues/", include(named_urls(QUEUES))),
    path("tags/", include(named_urls(TAGS))),
    path("groups/", include("access.urls")),
    path("favicon.ico", core_views.favicon),
    path("", include("core.urls")),
]

handler500 = "core.views.server_error"
