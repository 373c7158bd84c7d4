"""A DeepL API on loopback, speaking DeepL's documented wire format.

`POST /v2/translate` with a JSON or form body (`text` list, `source_lang`, `target_lang`,
`tag_handling`, `ignore_tags`, `formality`, `glossary_id`) and the header
`Authorization: DeepL-Auth-Key <key>`; the answer is
`{"translations": [{"detected_source_language": "NB", "text": ...}]}`. Errors as DeepL
sends them: 403 for a wrong key, 400 for a missing parameter, and whatever status a test
queues with `fail_next` (429 too many requests, 456 quota exceeded).

The "translation" is a small Norwegian-English word list applied to the text outside
markup and outside ignored tags, so a test can tell what was translated and what was kept.
Every request is recorded for the tests to assert the wire format.
"""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

WORDS = {
    "Rana": "Rana",
    "er": "is",
    "en": "a",
    "industrikommune": "industrial municipality",
    "Industripark": "Industrial Park",
    "Prosessindustri": "Process industry",
    "i": "in",
    "Fire": "Four",
    "kommuner": "municipalities",
    "på": "in",
    "Tekst": "Text",
    "om": "about",
    "regionen": "the region",
    "Praktisk": "Practical",
    "informasjon": "information",
    "Ny": "New",
    "tekst": "text",
    "Ansatte": "Employees",
}
SINGLE_VALUES = ("source_lang", "target_lang", "tag_handling", "formality", "glossary_id")
TAG = re.compile(r"(<[^>]*>)")
WORD = re.compile(r"\w+")


def fake_translate(text: str, ignore_tags: list[str]) -> str:
    parts = TAG.split(text)
    ignored = 0
    for index, part in enumerate(parts):
        if index % 2:
            name = part.strip("</>").split()[0] if part.strip("</>") else ""
            if name in ignore_tags:
                ignored += -1 if part.startswith("</") else 1
            continue
        if ignored == 0:
            parts[index] = WORD.sub(lambda match: WORDS.get(match[0], match[0]), part)
    return "".join(parts)


class DeepLServer:
    def __init__(self, auth_key: str = "test-key:fx"):
        self.auth_key = auth_key
        self.requests: list[dict] = []
        self._failures: list[tuple[int, dict]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                content_type = self.headers.get("Content-Type", "")
                if content_type.startswith("application/json"):
                    params = json.loads(raw)
                else:
                    params = dict(parse_qs(raw))
                    for key in SINGLE_VALUES:
                        if key in params:
                            params[key] = params[key][0]
                with server._lock:
                    server.requests.append(
                        {
                            "path": self.path,
                            "authorization": self.headers.get("Authorization", ""),
                            "content_type": content_type,
                            "body": params,
                        }
                    )
                    failure = server._failures.pop(0) if server._failures else None
                if self.path != "/v2/translate":
                    return self._answer(404, {"message": "Not found"})
                if self.headers.get("Authorization") != f"DeepL-Auth-Key {server.auth_key}":
                    return self._answer(403, {"message": "Authorization failed"})
                if failure is not None:
                    return self._answer(*failure)
                if not params.get("text"):
                    return self._answer(400, {"message": "Parameter 'text' not specified."})
                if not params.get("target_lang"):
                    return self._answer(400, {"message": "Value for 'target_lang' not supported."})
                ignore = params.get("ignore_tags") or []
                if isinstance(ignore, str):
                    ignore = ignore.split(",")
                return self._answer(
                    200,
                    {
                        "translations": [
                            {
                                "detected_source_language": params.get("source_lang") or "NB",
                                "text": fake_translate(text, ignore),
                            }
                            for text in params["text"]
                        ]
                    },
                )

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(self, status: int, message: str = "", times: int = 1) -> None:
        with self._lock:
            self._failures.extend([(status, {"message": message or f"Error {status}"})] * times)

    def start(self) -> "DeepLServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
