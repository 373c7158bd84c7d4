"""Production settings fail fast without configuration, pass Django's deploy checks and
refuse the demo's commands."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Taken from the test's own arguments only, never from the environment the suite runs in.
CONTROLLED = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "DEMO_COMMANDS_ALLOWED"}


def manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in CONTROLLED}
    environment.update(DJANGO_SETTINGS_MODULE="cms.settings.production", **env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="ranaregionen.no")
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", SECRET_KEY="k" * 64)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_deploy_checks_pass_with_a_realistic_environment():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuv",
        ALLOWED_HOSTS="ranaregionen.no,www.ranaregionen.no",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_load_the_demo(tmp_path):
    """The demo's accounts share one published password: never on a production site."""
    result = manage(
        "load_demo",
        SECRET_KEY="a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuv",
        ALLOWED_HOSTS="ranaregionen.no",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode != 0
    assert "DEMO_COMMANDS_ALLOWED" in result.stderr
    assert "make demo" in result.stderr
    assert "Loading the demo content" not in result.stdout


def test_the_second_pass_tries_a_share_of_the_examples(monkeypatch):
    from hypothesis import settings

    from .conftest import SECOND_PASS_MIN_EXAMPLES, for_this_pass

    thirty = settings(max_examples=30, deadline=None)
    monkeypatch.delenv("TESTS_SECOND_PASS", raising=False)
    assert for_this_pass(thirty).max_examples == 30
    monkeypatch.setenv("TESTS_SECOND_PASS", "1")
    assert for_this_pass(thirty).max_examples == 10
    assert for_this_pass(thirty).deadline is None  # the rest kept
    assert for_this_pass(settings(max_examples=6)).max_examples == SECOND_PASS_MIN_EXAMPLES
