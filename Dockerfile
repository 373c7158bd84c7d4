# syntax=docker/dockerfile:1
# Ranaregionen: the production image. Build: docker build -t ranaregionen .
# Migrations are an explicit step (see docs/deployment.md), never run on start.

# ---- assets: the Designsystemet stylesheets, built from the npm lock file -------------
FROM node:20-bookworm-slim AS assets

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend ./frontend
RUN npm run --silent build

# ---- build: dependencies first, so code changes reuse the cached layer --------------
FROM python:3.11-slim-bookworm AS build

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/venv

RUN pip install --no-cache-dir uv==0.13.9

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project

# ---- runtime ------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

# gettext for compilemessages; libpq for psycopg's C library fallback.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext=0.21-* libpq5=15.* \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 app \
    && install -d -o 10001 -g 10001 /run/metrics

ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=cms.settings.production \
    PORT=8000 \
    WEB_CONCURRENCY=3 \
    GUNICORN_THREADS=2 \
    GUNICORN_TIMEOUT=30 \
    GUNICORN_MAX_REQUESTS=1000 \
    GUNICORN_MAX_REQUESTS_JITTER=100

COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=10001:10001 . .
COPY --from=assets --chown=10001:10001 /app/frontend/build/static ./frontend/build/static

# Static files and catalogues are built into the image; a throw-away key is enough here.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --no-input -v0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py compilemessages --ignore=/venv -v0

USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=4)"]

# gunicorn reads its settings from the environment (cms/gunicorn.py).
# Migrations: run `python manage.py migrate` once per release (compose.yaml: the migrate service).
# The background worker is this image with another command (compose.yaml: the worker service):
# `python manage.py db_worker --backend translations`.
CMD ["gunicorn", "--config", "python:cms.gunicorn", "cms.wsgi:application"]
