"""Problem details (RFC 9457): every error of the API is `application/problem+json`
saying what went wrong and what to do, in the request's language."""

import json

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem_type(slug: str) -> str:
    return f"{settings.SITE_BASE_URL}/api/v1/problems/{slug}"


class Problem(Exception):
    """Raised by a view to answer with a problem; `extra` adds members to the body."""

    def __init__(self, status: int, slug: str, title: str, detail: str, **extra):
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra


def invalid_parameters(errors: list[dict]) -> Problem:
    return Problem(
        400,
        "invalid-parameters",
        _("Invalid query parameters"),
        _("Correct or remove the parameters listed in “errors”; the documentation is at %(docs)s.")
        % {"docs": "/api/v1/docs"},
        errors=errors,
    )


def not_found(detail: str) -> Problem:
    return Problem(404, "not-found", _("Not found"), detail)


def problem_response(request, problem: Problem) -> HttpResponse:
    body = {
        "type": problem_type(problem.slug),
        "title": str(problem.title),
        "status": problem.status,
        "detail": str(problem.detail),
        "instance": request.get_full_path(),
        **problem.extra,
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str),
        status=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    # LocaleMiddleware turns a 404 into a redirect to a language-prefixed URL on its way
    # out; ApiMiddleware, further out, restores this answer.
    request.api_problem = response
    return response


def status_problem(request, status: int) -> HttpResponse:
    """A problem for a plain HTTP status (an unknown path, a method other than GET)."""
    details = {
        404: _(
            "There is nothing at this address. The documentation at /api/v1/docs lists "
            "every endpoint."
        ),
        405: _("The partner API is read-only: use GET (or HEAD)."),
    }
    titles = {404: _("Not found"), 405: _("Method not allowed")}
    phrase = titles.get(status) or _("Server error")
    detail = details.get(
        status,
        _(
            "Something went wrong on our side. Try again later; if it persists, tell us the "
            "address you asked for."
        ),
    )
    return problem_response(request, Problem(status, f"http-{status}", phrase, detail))


def missing_translation(lang: str, available: list[dict]) -> Problem:
    """The resource exists, but not in `lang`: never answered with the other language."""
    return Problem(
        404,
        "missing-translation",
        _("Not translated"),
        _(
            "This resource has no version in the language asked for (%(lang)s) yet. The "
            "language versions there are are listed in “available”."
        )
        % {"lang": lang},
        available=available,
    )
