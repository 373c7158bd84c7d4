"""compose.yaml shows the production shape, and every variable it gives the app is read."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# Where the app reads its environment: the settings, gunicorn's settings, and observability
# (metrics, error reports, log format).
READERS = [
    *sorted((ROOT / "cms" / "settings").glob("*.py")),
    ROOT / "cms" / "gunicorn.py",
    *sorted((ROOT / "observability").glob("*.py")),
]
READ = re.compile(
    r"""(?:(?:environ(?:\.get)?|require|env_bool|env_list)\(\s*|\benv=)["']([A-Z0-9_]+)["']"""
)


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def names_read_by_the_app() -> set[str]:
    names = set()
    for path in READERS:
        names |= set(READ.findall(path.read_text()))
    return names | {"DJANGO_SETTINGS_MODULE"}  # read by Django itself


def test_every_variable_given_to_the_app_is_read_by_the_settings():
    services = compose()["services"]
    read = names_read_by_the_app()
    for name in ["app", "migrate", "worker"]:
        unread = set(services[name]["environment"]) - read
        assert not unread, f"{name} sets variables nothing reads: {sorted(unread)}"


def test_the_reader_pattern_finds_the_variables_it_should():
    read = names_read_by_the_app()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "AWS_STORAGE_BUCKET_NAME"} <= read
    assert {"WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS_JITTER"} <= read
    assert "NOT_A_SETTING" not in read


def test_the_shape_is_app_database_storage_and_cache_with_named_volumes():
    config = compose()
    services = config["services"]
    assert {"app", "migrate", "postgres", "redis", "minio"} <= set(services)
    assert set(config["volumes"]) == {"postgres-data", "media-data", "metrics"}
    assert services["app"]["build"] == "."
    # Migrations are an explicit command, not part of starting the app.
    assert "migrate" in services["migrate"]["command"]
    assert "command" not in services["app"]
    assert services["app"]["environment"]["DJANGO_SETTINGS_MODULE"] == "cms.settings.production"


def test_a_worker_runs_the_queued_translation_jobs():
    """Bulk machine translation is queued in the database; one service works the queue."""
    services = compose()["services"]
    worker = services["worker"]
    assert worker["image"] == services["app"]["image"]
    assert worker["environment"] == services["app"]["environment"]
    assert worker["command"][:5] == [
        "python",
        "manage.py",
        "db_worker",
        "--backend",
        "translations",
    ]
    assert worker["environment"]["TRANSLATION_TASKS_BACKEND"] == "django_tasks_db.DatabaseBackend"
    # It serves no HTTP: the image's /healthz check would mark it unhealthy.
    assert worker["healthcheck"] == {"disable": True}
    assert "ports" not in worker


def test_a_deliverer_tells_the_partners_webhooks():
    services = compose()["services"]
    deliverer = services["webhooks"]
    assert deliverer["image"] == services["app"]["image"]
    assert deliverer["environment"] == services["app"]["environment"]
    assert deliverer["command"][:4] == ["python", "manage.py", "deliver_webhooks", "--loop"]
    assert deliverer["healthcheck"] == {"disable": True}
    assert "ports" not in deliverer
