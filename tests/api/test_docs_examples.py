"""docs/api.md as a partner reads it: its resource table lists every endpoint, and every
Python and shell example in it runs, unchanged but for the address, against the API
served over HTTP on loopback with the test region."""

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

import pytest

from .conftest import shared_region

# Every example reads the same region: built once for the module.
_region_of_the_module, region, home = shared_region()

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
PUBLIC_BASE_URL = "https://ranaregionen.no"
FENCE = re.compile(r"^```(python|sh)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def examples() -> list[tuple[str, str, str]]:
    """(language, code, where) of every Python and shell example, in order."""
    text = DOCS.read_text()
    return [
        (match[1], match[2], f"line-{text.count(chr(10), 0, match.start()) + 1}")
        for match in FENCE.finditer(text)
    ]


# Stands in for curl where it is not installed: the options the examples use, through
# urllib. It is written out as a script, so that the shell runs it like curl.
CURL_WITH_URLLIB = r"""
import sys, urllib.error, urllib.request
args, headers, head, include, output, write_out = sys.argv[1:], {}, False, False, None, ""
url = None
while args:
    arg = args.pop(0)
    if arg == "-H":
        name, _, value = args.pop(0).partition(":")
        headers[name.strip()] = value.strip()
    elif arg == "-o":
        output = args.pop(0)
    elif arg == "-w":
        write_out = args.pop(0)
    elif arg.startswith("--"):
        continue  # --fail, --show-error: HTTP errors fail anyway
    elif arg.startswith("-"):
        head, include = head or "I" in arg, include or "i" in arg or "I" in arg
    else:
        url = arg
request = urllib.request.Request(url, headers=headers, method="HEAD" if head else "GET")
try:
    answer = urllib.request.urlopen(request, timeout=30)
except urllib.error.HTTPError as error:
    if error.code >= 400:
        sys.exit(22)  # curl --fail's exit status
    answer = error
body = answer.read()
if include:
    head_text = f"HTTP/1.1 {answer.getcode()}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in answer.headers.items()
    )
    body = head_text.encode() + b"\r\n" + body
if output != "/dev/null":
    sys.stdout.buffer.write(body)
sys.stdout.write(write_out.replace("%{http_code}", str(answer.getcode())).replace("\\n", "\n"))
"""


def run_shell(code: str, tmp_path: Path, with_urllib: bool) -> str:
    """Run the example in bash, with curl or its stand-in; an HTTP error, like any failing
    command, fails the example."""
    path = os.environ.get("PATH", "/usr/bin:/bin")
    if with_urllib:
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        stand_in = bin_dir / "curl"
        stand_in.write_text(f"#!{sys.executable}\n{CURL_WITH_URLLIB}")
        stand_in.chmod(0o755)
        path = f"{bin_dir}{os.pathsep}{path}"
    prelude = 'set -euo pipefail\ncurl() { command curl --fail --show-error "$@"; }\n'
    result = subprocess.run(  # noqa: S603 (the documentation's own examples)
        ["bash", "-c", prelude + code],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": path, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def run_python(code: str) -> str:
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, str(DOCS), "exec"), {"__name__": "__main__"})  # noqa: S102
    return output.getvalue()


def check_output(code: str, output: str) -> None:
    assert output.strip()
    if "If-None-Match" in code:
        # The second request sends the ETag of the first back: nothing has changed.
        assert output.splitlines()[-1].strip() in {"304", "unchanged: what you have is current"}


def for_this_server(code: str, base_url: str) -> str:
    assert PUBLIC_BASE_URL in code, "an example that says where it sends its requests"
    return code.replace(PUBLIC_BASE_URL, base_url)


@pytest.mark.parametrize(
    ("language", "code"),
    [pytest.param(lang, code, id=f"{lang}-{where}") for lang, code, where in examples()],
)
def test_the_example_runs(api_server, tmp_path, language, code):
    """With the curl binary where there is one, else with urllib in its place."""
    code = for_this_server(code, api_server)
    if "/open-data/" in code:
        call_command("export_open_data", stdout=io.StringIO())  # as the nightly run does
    if language == "sh":
        output = run_shell(code, tmp_path, with_urllib=shutil.which("curl") is None)
    else:
        output = run_python(code)
    check_output(code, output)


@pytest.mark.parametrize(
    "code", [pytest.param(code, id=where) for lang, code, where in examples() if lang == "sh"]
)
def test_the_shell_example_runs_with_urllib_in_place_of_curl(api_server, tmp_path, code):
    """The stand-in for machines without curl works too."""
    code = for_this_server(code, api_server)
    check_output(code, run_shell(code, tmp_path, with_urllib=True))


def test_the_examples_are_python_and_shell():
    languages = [language for language, _code, _where in examples()]
    assert languages.count("python") >= 3 and languages.count("sh") >= 3


def test_the_resource_table_lists_every_endpoint(api):
    """Every path of the OpenAPI document, placeholders aside, is in the table."""
    document = api.get("/api/v1/openapi.json").json()
    rows = re.findall(r"^\| `GET (/api/v1/[^`?]*)", DOCS.read_text(), re.MULTILINE)
    listed = {re.sub(r"\{[^}]*\}", "{}", row) for row in rows}
    served = {re.sub(r"\{[^}]*\}", "{}", path) for path in document["paths"]}
    assert served - listed == set()
