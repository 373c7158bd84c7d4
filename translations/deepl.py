"""DeepL, configured from the environment, for wagtail-localize's machine translation.

wagtail-localize's own DeepL translator picks the host from the key, sends the Norwegian
locale as "NB" but the English one as plain "EN", posts a form, and turns every DeepL error
into an exception about JSON. This one:

- takes the API address from `API_URL` (`DEEPL_API_URL`), by default DeepL's free or pro
  host according to the key (keys of the free plan end in ":fx");
- maps the site's languages to DeepL's codes (`LANGUAGES`: nb -> NB, en -> EN-GB), and
  refuses pairs DeepL does not offer (Nynorsk, the Sami languages) instead of guessing;
- sends DeepL's JSON body with `tag_handling=xml` (segments carry inline markup), the
  formality, and a DeepL glossary when `GLOSSARY_ID` names one;
- keeps the region's own names (`PROTECTED_TERMS`: place names, "Mo Industripark") as they
  are, by wrapping them in an ignored `<x>` tag that DeepL leaves alone and that is removed
  from its answer; this needs no glossary to be created and kept in step on DeepL's side;
- sends at most 50 texts per request, as DeepL asks;
- raises `DeepLError` with a translated message an officer can act on for DeepL's error
  codes (403 key refused, 429 too many requests, 456 quota used up) and for a network
  failure; nothing is saved when it is raised.
"""

import re
from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

import requests
from wagtail_localize.machine_translators.deepl import DeepLTranslator
from wagtail_localize.strings import StringValue

FREE_API_URL = "https://api-free.deepl.com"
PRO_API_URL = "https://api.deepl.com"
DEFAULT_LANGUAGES = {"nb": "NB", "en": "EN-GB"}
FORMALITIES = {"default", "more", "less", "prefer_more", "prefer_less"}
BATCH_SIZE = 50
PROTECT_TAG = "x"
TAG = re.compile(r"(<[^>]*>)")


class DeepLError(Exception):
    """DeepL could not translate; `message` says what happened and what to do."""

    def __init__(self, message, status: int | None = None):
        super().__init__(str(message))
        self.message = message
        self.status = status


ERROR_MESSAGES = {
    400: _("DeepL did not accept the request. Nothing was translated; tell the site's developers."),
    403: _(
        "DeepL refused the API key. Nothing was translated; ask an administrator to check "
        "the DeepL key (DEEPL_AUTH_KEY) and whether it belongs to the free or pro plan."
    ),
    413: _("The page is too long to send to DeepL at once. Nothing was translated."),
    429: _(
        "DeepL has had too many requests just now. Nothing was translated; try again in a "
        "few minutes."
    ),
    456: _(
        "The DeepL quota for this month is used up. Nothing was translated; translate by "
        "hand or ask an administrator to raise the quota."
    ),
}
UNAVAILABLE = _(
    "DeepL did not answer. Nothing was translated; try again later. If it keeps happening, "
    "tell the site's developers."
)


def protect(text: str, terms: list[str]) -> str:
    """`text` with each protected term, outside markup, wrapped in the ignored tag."""
    if not terms:
        return text
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)({alternatives})(?!\w)")
    parts = TAG.split(text)
    for index in range(0, len(parts), 2):  # even parts are text, odd parts are tags
        parts[index] = pattern.sub(rf"<{PROTECT_TAG}>\1</{PROTECT_TAG}>", parts[index])
    return "".join(parts)


def unprotect(text: str) -> str:
    return text.replace(f"<{PROTECT_TAG}>", "").replace(f"</{PROTECT_TAG}>", "")


class RegionDeepLTranslator(DeepLTranslator):
    display_name = "DeepL"

    @property
    def languages(self) -> dict[str, str]:
        return {**DEFAULT_LANGUAGES, **(self.options.get("LANGUAGES") or {})}

    def get_api_endpoint(self):
        base = (self.options.get("API_URL") or "").strip()
        if not base:
            base = FREE_API_URL if self.options.get("AUTH_KEY", "").endswith(":fx") else PRO_API_URL
        return base.rstrip("/") + "/v2/translate"

    def deepl_code(self, language_code: str) -> str | None:
        return self.languages.get(language_code) or self.languages.get(language_code.split("-")[0])

    def can_translate(self, source_locale, target_locale):
        source = self.deepl_code(source_locale.language_code)
        target = self.deepl_code(target_locale.language_code)
        return bool(source and target and source.split("-")[0] != target.split("-")[0])

    @property
    def protected_terms(self) -> list[str]:
        return [term for term in self.options.get("PROTECTED_TERMS") or [] if term.strip()]

    def get_parameters(self, source_locale, target_locale, strings):
        parameters = {
            "text": [protect(string.data, self.protected_terms) for string in strings],
            "source_lang": self.deepl_code(source_locale.language_code),
            "target_lang": self.deepl_code(target_locale.language_code),
            "tag_handling": "xml",
            "ignore_tags": [PROTECT_TAG],
        }
        formality = self.options.get("FORMALITY") or ""
        if formality in FORMALITIES and formality != "default":
            parameters["formality"] = formality
        if glossary_id := self.options.get("GLOSSARY_ID"):
            parameters["glossary_id"] = glossary_id
        return parameters

    def _post(self, parameters: dict) -> list[str]:
        try:
            response = requests.post(
                self.get_api_endpoint(),
                json=parameters,
                headers=self.get_headers(),
                timeout=float(self.options.get("TIMEOUT", 30)),
            )
        except requests.RequestException as error:
            raise DeepLError(UNAVAILABLE) from error
        if response.status_code != 200:
            message = ERROR_MESSAGES.get(response.status_code, UNAVAILABLE)
            raise DeepLError(message, status=response.status_code)
        try:
            translations = response.json()["translations"]
            texts = [item["text"] for item in translations]
        except (ValueError, KeyError, TypeError) as error:
            raise DeepLError(UNAVAILABLE, status=response.status_code) from error
        if len(texts) != len(parameters["text"]):
            raise DeepLError(UNAVAILABLE, status=response.status_code)
        return texts

    def translate(self, source_locale, target_locale, strings: Iterable):
        strings = list(strings)
        result = {}
        for start in range(0, len(strings), BATCH_SIZE):
            batch = strings[start : start + BATCH_SIZE]
            texts = self._post(self.get_parameters(source_locale, target_locale, batch))
            for string, text in zip(batch, texts, strict=True):
                result[string] = StringValue(unprotect(text))
        return result
