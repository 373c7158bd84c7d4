"""The URLs of tests/cms/lossy_server.py: the project's, and two views of the tests' own."""

from django.db import connection, connections
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from cms.urls import handler404, handler500  # noqa: F401
from cms.urls import urlpatterns as project_urlpatterns

CALLS: dict[str, list[str]] = {}


@csrf_exempt
def loses_its_connection_once(request, key):
    calls = CALLS.setdefault(key, [])
    calls.append(request.method)
    if len(calls) == 1:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_content_type")
    return HttpResponse(f"attempt {len(calls)}")


def calls_of(request, key):
    return JsonResponse({"calls": CALLS.get(key, [])})


urlpatterns = [
    path("lossy/<slug:key>/", loses_its_connection_once),
    path("calls/<slug:key>/", calls_of),
    *project_urlpatterns,
]
