"""The committed OpenAPI document of version 1 (`api/openapi-v1.json`).

The tests compare the served document with it: a change that takes anything away from
what partners' clients were generated from fails (`api.compat`), and growth fails until
it is recorded here, so every change of the contract is in a commit of its own.

    make openapi-snapshot      # record growth (refuses a breaking change)
"""

import json
import os
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi-v1.json")


def current_document() -> dict:
    from django.utils import translation

    from .router import api

    with translation.override("en"):
        return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))


def recorded_document() -> dict:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def dump(document: dict) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> int:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    django.setup()
    from .compat import breaking_changes

    document = current_document()
    broken = breaking_changes(recorded_document(), document) if SNAPSHOT.exists() else []
    if broken:
        print("Not recorded: version 1 only grows, and this change takes away:", file=sys.stderr)
        for line in broken:
            print(f"  - {line}", file=sys.stderr)
        print(
            "Keep what partners rely on (add a new field or endpoint beside it instead).",
            file=sys.stderr,
        )
        return 1
    if SNAPSHOT.exists() and recorded_document() == document:
        print(f"{SNAPSHOT.name} is up to date.")
        return 0
    SNAPSHOT.write_text(dump(document), encoding="utf-8")
    print(f"Recorded in {SNAPSHOT.name}: add a line to the changelog in docs/api.md.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
