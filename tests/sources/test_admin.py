"""The run log in the admin, and the dashboard panel of sources and register news."""

from django.contrib.auth import get_user_model

import pytest

from sources.models import RegisterUnit, RunStatus, SyncRun
from sources.pipeline import run_source
from sources.recorded import json_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, locales):
    user = get_user_model().objects.create_superuser("koordinator", "k@example.org", "pw")
    client.force_login(user)
    return client


def test_the_report_lists_runs_with_counts_and_errors_in_norwegian(admin_client, recorded):
    run_source("nav")
    recorded.add(r"/nav/api/v1/feed.*", lambda request, match: json_reply({"items": 3}))
    from sources.models import SourceState

    SourceState.objects.filter(source="nav").update(cursor={})
    failed = run_source("nav")
    assert failed.status == RunStatus.FAILED
    response = admin_client.get("/admin/reports/data-imports/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dataimporter" in body
    assert "Ledige stillinger (NAV)" in body
    assert "Feilet" in body and "Fullført" in body
    assert "har ikke den ventede formen" in body


def test_editors_without_the_permission_cannot_see_the_report(client, locales):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("redaktor", "r@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/reports/data-imports/")
    assert response.status_code in (302, 403)


def test_the_dashboard_shows_new_and_closed_register_units(admin_client, recorded):
    run_source("nsr")
    run_source("nbr")
    body = admin_client.get("/admin/").content.decode()
    assert "Eksempel barneskole" in body
    assert "Eksempel barnehage" in body
    # The school leaves the register's list: it is shown as closed, and kept.
    recorded.add(
        r"/nsr/v4/enheter/kommune/1833",
        lambda request, match: json_reply({"Sidenummer": 1, "AntallSider": 1, "EnhetListe": []}),
    )
    run = run_source("nsr")
    assert run.removed == 1
    unit = RegisterUnit.objects.get(org_number="999000001")
    assert not unit.is_active and unit.closed_at
    body = admin_client.get("/admin/").content.decode()
    closed = body.split("Nedlagt")[1]
    assert "Eksempel barneskole" in closed


def test_the_dashboard_names_the_pages_that_still_show_a_closed_unit(
    admin_client, recorded, home, django_capture_on_commit_callbacks
):
    from ..conftest import publish
    from ..factories import MunicipalityPageFactory
    from .factories import register_school

    run_source("nsr")
    page = publish(
        MunicipalityPageFactory(
            parent=home,
            title="Rana",
            municipality_number="1833",
            body=[register_school("999000001", level="primary")],
        )
    )
    assert "Sider som viser en nedlagt enhet" not in admin_client.get("/admin/").content.decode()
    recorded.add(
        r"/nsr/v4/enheter/kommune/1833",
        lambda request, match: json_reply({"Sidenummer": 1, "AntallSider": 1, "EnhetListe": []}),
    )
    run_source("nsr")
    body = admin_client.get("/admin/").content.decode()
    listed = body.split("Sider som viser en nedlagt enhet")[1]
    assert f"/admin/pages/{page.pk}/edit/" in listed
    assert "Eksempel barneskole" in listed


def test_the_dashboard_warns_about_a_failing_source(admin_client, recorded, settings):
    settings.SOURCES_HTTP_RETRIES = 0
    recorded.add(r"/ssb/.*", lambda request, match: json_reply({}, 503))
    run_source("ssb-population")
    body = admin_client.get("/admin/").content.decode()
    assert "Disse kildene trenger oppfølging" in body
    assert SyncRun.objects.filter(status=RunStatus.FAILED).count() == 1
