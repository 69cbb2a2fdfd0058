from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static


def home(request):
    """Signed-in users land on their entrypoints; visitors see what this is."""
    if request.user.is_authenticated:
        return redirect("entrypoints:list")
    return render(request, "home.html")


def favicon(request):
    """Browsers ask for /favicon.ico before (or without) reading the page's <link rel="icon">."""
    return redirect(static("favicon.svg"))


def healthz(request):
    """Liveness and database check for load balancers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def server_error(request):
    """500 as JSON under /api/; Django's page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Internal server error."}, status=500)
    from django.views.defaults import server_error as default_server_error

    return default_server_error(request)
