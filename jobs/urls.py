"""The job pages (the API's routes are in ``jobs/api/urls.py``)."""

from django.urls import path

from jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/live", views.job_live, name="live"),
    path("<int:pk>/log", views.job_log, name="log"),
    path("<int:pk>/log.txt", views.job_log_text, name="log-text"),
    path("<int:pk>/cancel", views.job_cancel, name="cancel"),
    path("<int:pk>/reset", views.job_reset, name="reset"),
    path("<int:pk>/rerun", views.job_rerun, name="rerun"),
    path("artifacts/<int:pk>/download", views.artifact_contents, name="artifact-download"),
]
