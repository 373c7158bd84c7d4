"""gunicorn loads the app in the master, which is safe only if importing it opens nothing."""

import os
import subprocess
import sys
from pathlib import Path

from cms import gunicorn

ROOT = Path(__file__).resolve().parents[2]


def test_workers_fork_from_a_loaded_app():
    assert gunicorn.preload_app is True


def test_the_app_imports_without_a_database_connection():
    # A database nobody can reach: an import that connected would fail.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": "postgres://nobody@unreachable.invalid:1/nothing",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import cms.wsgi; print('imported')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "imported"
