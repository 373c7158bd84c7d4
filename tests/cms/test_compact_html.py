"""Public HTML pages leave out their whitespace-only lines; preformatted text, text areas,
the admin and anything not HTML keep theirs."""

import re

from django.http import HttpResponse, JsonResponse
from django.test import RequestFactory

import pytest

from cms.middleware import CompactHtmlMiddleware

pytestmark = pytest.mark.django_db

PAGE = "<main>\n    <h1>Rana</h1>\n    \n\n        \t\n    <p>Tekst</p>\n</main>\n"


def through(body, path="/nb/rana/", response_class=HttpResponse):
    response = response_class(body)
    middleware = CompactHtmlMiddleware(lambda request: response)
    return middleware(RequestFactory().get(path))


def test_blank_lines_are_left_out_and_the_length_follows():
    response = through(PAGE)
    assert response.content == b"<main>\n    <h1>Rana</h1>\n    <p>Tekst</p>\n</main>\n"


@pytest.mark.parametrize("body", [PAGE + "<pre>a\n\nb</pre>", PAGE + "<textarea>\n\n</textarea>"])
def test_a_page_whose_blank_lines_may_mean_something_is_left_alone(body):
    assert through(body).content == body.encode()


def test_the_admin_and_other_types_are_left_alone():
    assert through(PAGE, path="/admin/pages/").content == PAGE.encode()
    assert b"\\n    \\n" in through({"text": "a\n    \nb"}, response_class=JsonResponse).content


def test_a_real_page_has_no_blank_lines(client, region):
    response = client.get(region.rana.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in html
    assert re.search(r"\n[ \t]*\n", html) is None
