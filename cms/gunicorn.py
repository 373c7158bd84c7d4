"""gunicorn settings from the environment: `gunicorn -c python:cms.gunicorn cms.wsgi`.

Defaults suit a container with one or two CPUs; set WEB_CONCURRENCY (processes) and
GUNICORN_THREADS (threads each) from the CPUs and memory the container is given.
"""

import os

# In a container the app must listen on every interface; elsewhere set GUNICORN_BIND.
host = os.environ.get("GUNICORN_BIND", "0.0.0.0")  # noqa: S104
bind = f"{host}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle each process after a number of requests, staggered so they do not all restart
# at once; this bounds the memory a slow leak can take.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
# JSON lines with the request id (LOG_FORMAT=plain for text), and no client address, query
# string, referrer or user agent in the access line: readers are not identified in logs.
logger_class = "observability.gunicorn.Logger"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"
# The load balancer or CDN in front sets X-Forwarded-Proto; trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Load the app once in the master and fork the workers from it: a worker recycled by
# max_requests starts at once instead of importing Django and Wagtail again while its
# requests wait. Importing the app opens no database connection and starts no thread
# (the readiness probes' threads start on the first probe), so nothing is shared.
preload_app = True
# Render a page of each kind once in the master before the workers fork (cms/warmup.py),
# so that a new worker's first reader does not wait for imports, catalogues and templates.
warm_up = os.environ.get("GUNICORN_WARM_UP", "1") != "0"


def when_ready(server):
    if preload_app and warm_up:
        from cms.warmup import warm
        from cms.wsgi import django_application

        warm(django_application)


def on_starting(server):
    # Metrics of the processes of an earlier start are not this server's.
    from observability.metrics import empty_directory

    empty_directory()


def child_exit(server, worker):
    from observability.metrics import process_exited

    process_exited(worker.pid)
