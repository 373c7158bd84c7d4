"""The errors a source run can end with, worded for the coordinator in both languages.

Each error carries a code and a lazily translated message; the run log stores the
message in Norwegian and English so that the admin shows it in the editor's language.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

NOT_NINE_DIGITS = _("The organisation number is not nine digits.")
OUTSIDE_REGION = _("The unit is not in one of the region's municipalities.")


class SourceError(Exception):
    """A run of a source cannot go on; the source keeps its last good data."""

    code = "source-error"

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(self.render("en"))

    def render(self, language: str) -> str:
        with translation.override(language):
            return str(self.message) % self.params if self.params else str(self.message)

    def as_log_entry(self) -> dict:
        return {"code": self.code, "nb": self.render("nb"), "en": self.render("en")}


class FetchError(SourceError):
    """The service did not answer usefully (network, timeout, HTTP status, too large)."""

    code = "fetch"


class PayloadError(SourceError):
    """The answer is not what the source publishes (invalid JSON, wrong shape, unsafe XML)."""

    code = "payload"


class RecordProblem:
    """One record that failed validation: it is skipped and logged, the run goes on."""

    code = "record"

    def __init__(self, record_id: str, message, **params):
        self.record_id = record_id
        self.error = SourceError(message, **params)

    def as_log_entry(self) -> dict:
        entry = self.error.as_log_entry()
        entry["code"] = self.code
        entry["nb"] = f"{self.record_id}: {entry['nb']}"
        entry["en"] = f"{self.record_id}: {entry['en']}"
        return entry
