"""Settings shared by every environment.

Configuration comes from the environment; the defaults here are the embedded ones
(SQLite, local media, local-memory cache, database search).
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

import dj_database_url

from observability import errors as observability_errors
from observability import logs as observability_logs

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --------------------------------------------------------------------------------------
# Applications
# --------------------------------------------------------------------------------------

INSTALLED_APPS = [
    # Before wagtail_localize and wagtail.admin: its admin hooks and templates come first.
    "editorial",
    "region_pages",
    "demo",
    "backup",
    "search",
    "sources",
    # Before wagtail_localize: it replaces some of its admin views (see translations/).
    "translations",
    # What follows a publish, unpublish, move, delete or privacy change, in one place.
    "publishing",
    "webhooks",
    "partners",
    # Request ids, metrics and the task worker's request ids (observability/).
    "observability",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "ninja",  # the partner API's documentation page, with its assets served from here
    "axes",
    "csp",
    "django_tasks_db",  # the queue of background tasks, when TASKS chooses it
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # For its catalogues: the admin writes times with its naturaltime ("2 minutter
    # siden"), which speaks English without them.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # Outermost: a safe read whose database connection died mid-request runs once more.
    "cms.database.RetrySafeReadsMiddleware",
    # Inside the retry: an anonymous read goes to the replica when it has caught up, and a
    # retry after the replica failed goes to the primary.
    "cms.replica.ReplicaReadsMiddleware",
    # Names the URL pattern that served the request, for the metrics.
    "observability.middleware.RouteMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The partner API's validators, 304s, CORS and problem details (only under /api/v1/).
    "region_pages.api.http.ApiMiddleware",
    "cms.middleware.SharedCacheMiddleware",
    "cms.middleware.CompactHtmlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An editor refused a page's edit screen is told which groups can change the page.
    "editorial.refusals.RefusalMiddleware",
    # An upload that meets an object-store outage gets a clear answer, not a 500.
    "cms.middleware.StorageOutageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An address in the other language's slugs, when neither Wagtail's redirects nor a
    # page answered it.
    "cms.middleware.TranslatedPathMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_chrome",
            ],
        },
    },
]

# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
# Every request runs in one transaction, so that a publish from the admin and the
# read model of entries it updates are committed together or not at all.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A persistent connection is checked before a request reuses it: after a database
# restart (or a failover) a dead connection is replaced instead of failing a request with
# a 500. A connection that dies during a request is handled by cms.database.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_MAX_AGE"] != 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite starts transactions deferred: two overlapping requests that both write (an
    # autosave and a submit) would fail at once with "database is locked" when the
    # second upgrades its read lock. IMMEDIATE takes the write lock at BEGIN, so the
    # second request waits for the first (up to the timeout) instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

# PostgreSQL compiles a query to machine code (JIT) when its estimated cost is high: the
# partner API's and the publish digests' query over every page type (15 joins) spent
# 1.2 s compiling for 2 ms of work on a freshly loaded database. The site's queries are
# short; POSTGRES_JIT=1 gives the server back its own setting.
POSTGRES_JIT = env_bool("POSTGRES_JIT", False)


def without_jit(database: dict) -> dict:
    if database["ENGINE"] == "django.db.backends.postgresql" and not POSTGRES_JIT:
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return database


without_jit(DATABASES["default"])

# A streaming replica of the primary (PostgreSQL hot standby) for anonymous reads that it
# has caught up with (cms/replica.py); unset: everything reads from the primary.
if os.environ.get("DATABASE_REPLICA_URL", "").strip():
    DATABASES["replica"] = {
        **dj_database_url.config(
            env="DATABASE_REPLICA_URL",
            conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        ),
        "CONN_HEALTH_CHECKS": DATABASES["default"]["CONN_HEALTH_CHECKS"],
        # In tests the replica is the primary (no second test database).
        "TEST": {"MIRROR": "default"},
    }
    without_jit(DATABASES["replica"])
    DATABASE_ROUTERS = ["cms.replica.ReplicaRouter"]
# How long a replica that failed is left alone before a request tries it again.
DATABASE_REPLICA_RETRY_SECONDS = float(os.environ.get("DATABASE_REPLICA_RETRY_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_settings(environ) -> dict:
    """Redis when REDIS_URL is set (renditions in their own key space), local memory otherwise.

    A Redis that does not answer within REDIS_SOCKET_TIMEOUT seconds is a miss; after
    that, the process leaves it alone for REDIS_CIRCUIT_BREAKER_SECONDS (every cache call
    a miss at once) before asking again, so that a hung Redis costs a page one timeout
    rather than one per cache call (cms/cache.py).
    """
    redis_url = environ.get("REDIS_URL", "").strip()
    if not redis_url:
        return {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "renditions": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "renditions",
            },
        }
    timeout = float(environ.get("REDIS_SOCKET_TIMEOUT", "0.5"))
    options = {"socket_connect_timeout": timeout, "socket_timeout": timeout}
    # One breaker per process and server, shared by both caches.
    breaker_seconds = float(environ.get("REDIS_CIRCUIT_BREAKER_SECONDS", "5"))
    return {
        "default": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "site",
            "OPTIONS": options,
            "CIRCUIT_BREAKER_SECONDS": breaker_seconds,
        },
        "renditions": {
            "BACKEND": "cms.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "renditions",
            "TIMEOUT": 7 * 24 * 3600,
            "OPTIONS": options,
            "CIRCUIT_BREAKER_SECONDS": breaker_seconds,
        },
    }


CACHES = cache_settings(os.environ)

WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database"},
}

# --------------------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------------------

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", "Norsk bokmål"),
    ("en", "English"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Editors choose the admin language in their account; Norwegian is the default.
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Our catalogues first; then Norwegian for the admin strings of Wagtail and wagtail-localize
# that their own catalogues lack (locale_upstream/, never written by makemessages).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_upstream"]
USE_I18N = True
# Numbers as readers write them: 26 000 in Norwegian, 26,000 in English.
USE_THOUSAND_SEPARATOR = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"

# --------------------------------------------------------------------------------------
# Static files and media
# --------------------------------------------------------------------------------------

# The Designsystemet stylesheets are built from npm packages by `make install`
# (frontend/build.mjs); Django serves and fingerprints them as its own.
STATICFILES_DIRS = [PROJECT_DIR / "static", BASE_DIR / "frontend" / "build" / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")

# Whether Django itself serves MEDIA_ROOT (demo and tests only).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)


def media_storage(environ) -> dict:
    """S3-compatible object storage when AWS_STORAGE_BUCKET_NAME is set, local disk otherwise."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "cms.storage.MediaStorage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            # Without keys, boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": environ.get("AWS_LOCATION", ""),
            # An upload never replaces an object: a second "photo.jpg" gets a new name.
            "file_overwrite": False,
            # Access is granted by the bucket policy (public reads on image prefixes
            # only), never by per-object ACLs, which many buckets refuse.
            "default_acl": None,
            "querystring_auth": False,
            "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "timeout": float(environ.get("AWS_S3_TIMEOUT", "5")),
        },
    }


STORAGES = {
    "default": media_storage(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AWS_S3_FILE_OVERWRITE = False

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --------------------------------------------------------------------------------------
# Wagtail
# --------------------------------------------------------------------------------------

WAGTAIL_SITE_NAME = "Ranaregionen"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 15 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from Gravatar: the admin's Content Security Policy allows images from this
# site only, and an editor's e-mail address (hashed) should not go to a third party on
# every page. Editors see their uploaded avatar or Wagtail's default one.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Documents are always streamed through Wagtail's view, which checks a collection's
# privacy; the bucket never hands out a document's object URL (see cms/storage.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.uploads.SafeDocumentForm"
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.uploads.SafeImageForm"
# The longest side an uploaded image may have, in pixels (cms/uploads.py).
WAGTAILIMAGES_MAX_IMAGE_SIDE = 12_000
# Whole responses kept at the origin for anonymous reads (cms/response_cache.py): how long
# an entry lives at most (a publish makes it obsolete at once: the key holds the content
# version), 0 to keep none; which cache holds them; how long a request waits for the one
# rendering the same answer; and the largest answer kept.
RESPONSE_CACHE_SECONDS = int(os.environ.get("RESPONSE_CACHE_SECONDS", "300"))
RESPONSE_CACHE_ALIAS = "default"
RESPONSE_CACHE_WAIT_SECONDS = 2.0
RESPONSE_CACHE_MAX_BYTES = 2_000_000
# Searches are counted in the process and written at most this many seconds apart
# (search/hits.py), so that a search answered from the response cache costs no write.
SEARCH_HITS_FLUSH_SECONDS = float(os.environ.get("SEARCH_HITS_FLUSH_SECONDS", "10"))
# How long the shared cache keeps its copy of the content version (region_pages.versions).
RESPONSE_CACHE_VERSION_SECONDS = 10

# Partners' webhooks (webhooks/delivery.py): seconds a partner has to answer a delivery,
# and whether a plain http:// address is allowed (production: https only).
WEBHOOKS_TIMEOUT = float(os.environ.get("WEBHOOKS_TIMEOUT", "5"))
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", True)
# Whether a delivery may go to a private, loopback, link-local or otherwise non-public
# address (region_pages/outbound.py): never in production, where a partner's host name must
# not reach into the network the deliverer runs in; the dev and test settings allow it.
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)

# The nightly check of the external links in published pages (`manage.py check_links`):
# at most LINK_CHECK_LIMIT addresses a run and LINK_CHECK_PER_HOST of one host, each
# given LINK_CHECK_TIMEOUT seconds; private addresses as for the webhooks.
LINK_CHECK_LIMIT = int(os.environ.get("LINK_CHECK_LIMIT", "1000"))
LINK_CHECK_PER_HOST = int(os.environ.get("LINK_CHECK_PER_HOST", "50"))
LINK_CHECK_TIMEOUT = float(os.environ.get("LINK_CHECK_TIMEOUT", "10"))
LINK_CHECK_ALLOW_PRIVATE_ADDRESSES = env_bool("LINK_CHECK_ALLOW_PRIVATE_ADDRESSES", False)

# The partner API's fair limits (partners.ratelimit): requests a window of
# API_RATE_LIMIT_WINDOW seconds for each client address without a key; a key's own quota
# (a minute's worth, issued by the coordinator) starts at API_RATE_LIMIT_KEYED.
API_RATE_LIMITS = env_bool("API_RATE_LIMITS", True)
API_RATE_LIMIT_WINDOW = int(os.environ.get("API_RATE_LIMIT_WINDOW", "60"))
API_RATE_LIMIT_ANONYMOUS = int(os.environ.get("API_RATE_LIMIT_ANONYMOUS", "600"))
API_RATE_LIMIT_KEYED = int(os.environ.get("API_RATE_LIMIT_KEYED", "3000"))
API_RATE_LIMIT_CACHE_ALIAS = "default"
# Proxies in front of the site (CDN, load balancer), as for the login lockout above: where
# the client's own address is read.
PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "").strip() or "0")

# The rendition filters the templates use; tests/cms/test_uploads.py keeps this list and
# the templates in step. No view renders a filter chosen in a request (Wagtail's dynamic
# image serve view is not mounted).
IMAGE_RENDITION_FILTERS = {
    "fill-1200x630",
    "format-{webp,jpeg}|fill-{800x300,1600x600}",
    "format-{webp,jpeg}|fill-{480x270,800x450}",
    "format-{webp,jpeg}|width-{640,1000}",
    "format-{webp,jpeg}|fill-{96x96,192x192}",
}

# --------------------------------------------------------------------------------------
# The region's own settings
# --------------------------------------------------------------------------------------

# Norwegian public bodies publish their accessibility statement on uustatus.no.
ACCESSIBILITY_STATEMENT_URL = os.environ.get(
    "ACCESSIBILITY_STATEMENT_URL", "https://uustatus.no/nb/erklaringer/publisert/"
)
# How long the web server's access logs are kept; the privacy statement says so, and the
# deployment keeps it true (docs/deployment.md).
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "30"))
# The look: a Designsystemet theme built from the colours of `frontend/designsystemet.config.json`
# (its name there), and an optional logo (a static file, drawn 40 px square beside the name).
SITE_THEME = os.environ.get("SITE_THEME", "ranaregionen")
SITE_LOGO = os.environ.get("SITE_LOGO", "")
# Used for absolute links (canonical, hreflang, Open Graph, sitemap) when no request
# is at hand.
SITE_BASE_URL = os.environ.get("SITE_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
# Where `load_demo` serves the demo's second region, Mosjøenregionen (default: the host
# mosjoen.localhost on the port of SITE_BASE_URL).
MOSJOEN_BASE_URL = os.environ.get("MOSJOEN_BASE_URL", "").rstrip("/")

# Background tasks (django-tasks). Wagtail's own small tasks run at once. Bulk machine
# translation has a backend of its own: in production set TRANSLATION_TASKS_BACKEND to
# "django_tasks_db.DatabaseBackend" and run `manage.py db_worker --backend translations`,
# so that a web request only enqueues; without it the job runs after the request commits.
IMMEDIATE_TASKS = "django_tasks.backends.immediate.ImmediateBackend"
TASKS = {
    "default": {"BACKEND": IMMEDIATE_TASKS},
    "translations": {"BACKEND": os.environ.get("TRANSLATION_TASKS_BACKEND", "") or IMMEDIATE_TASKS},
}

# Machine translation with DeepL (translations/deepl.py), on when DEEPL_AUTH_KEY is set.
# Region names DeepL must leave as they are; DEEPL_PROTECTED_TERMS replaces the list.
DEEPL_DEFAULT_PROTECTED_TERMS = (
    "Mo Industripark,Mo i Rana,Ranaregionen,Rana,Hemnes,Hemnesberget,Korgen,Bleikvassli,"
    "Lurøy,Lovund,Nesna,Helgeland,Svartisen,Okstindan,Ranfjorden,Sjona"
)
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = (
    {
        "CLASS": "translations.deepl.RegionDeepLTranslator",
        "OPTIONS": {
            "AUTH_KEY": os.environ["DEEPL_AUTH_KEY"],
            # Empty: DeepL's free or pro host, chosen by the key.
            "API_URL": os.environ.get("DEEPL_API_URL", ""),
            "FORMALITY": os.environ.get("DEEPL_FORMALITY", "prefer_more"),
            "GLOSSARY_ID": os.environ.get("DEEPL_GLOSSARY_ID", ""),
            "PROTECTED_TERMS": env_list("DEEPL_PROTECTED_TERMS", DEEPL_DEFAULT_PROTECTED_TERMS),
            "TIMEOUT": float(os.environ.get("DEEPL_TIMEOUT", "30")),
        },
    }
    if os.environ.get("DEEPL_AUTH_KEY", "").strip()
    else None
)

# One line a record with the request id; JSON (LOG_FORMAT=json, production's default) for
# a log service, plain text for a developer's terminal. E-mail and IP addresses are
# redacted either way (observability.logs).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip() or "plain"
LOGGING = observability_logs.configuration(LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))

# Prometheus metrics at METRICS_PATH, for a scraper that sends METRICS_TOKEN as a bearer
# token; without a token the endpoint does not exist (observability.wsgi).
METRICS_PATH = os.environ.get("METRICS_PATH", "/metrics")
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "").strip()

# Error reports to Sentry when SENTRY_DSN is set, without personal data (observability.errors).
SENTRY_ENABLED = observability_errors.init_from_environment()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --------------------------------------------------------------------------------------
# Security headers, CDN, login rate limit, readiness
# --------------------------------------------------------------------------------------


def media_origins(environ) -> list[str]:
    """Where media is fetched from, for the Content Security Policy's img-src."""
    from urllib.parse import urlsplit

    if domain := environ.get("AWS_S3_CUSTOM_DOMAIN", "").strip():
        return [f"https://{domain}"]
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return []
    if endpoint := environ.get("AWS_S3_ENDPOINT_URL", "").strip():
        parts = urlsplit(endpoint)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    region = environ.get("AWS_S3_REGION_NAME", "").strip()
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


MEDIA_ORIGINS = media_origins(os.environ)

# The maps' background: Kartverket's open topographic map (CC BY 4.0), as tiles in Web
# Mercator. Empty: the maps draw their markers without a background. Either way, a map
# whose tiles cannot be loaded says so and keeps its markers (js/map.js).
MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL",
    "https://cache.kartverket.no/v1/wmts/1.0.0/topo/default/webmercator/{z}/{y}/{x}.png",
)
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION", "© Kartverket")


def tile_origins(url: str) -> list[str]:
    """The origin the tiles come from, for the Content Security Policy's img-src."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


# Public pages: no inline script or style, no plugins, no <base>, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *MEDIA_ORIGINS, *tile_origins(MAP_TILE_URL)],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# A partner's frontend that shows drafts (region_pages.api.preview): the page editor's
# preview offers it as a mode, with `{token}`, `{page_id}` and `{lang}` filled in, e.g.
# https://partner.example/preview?token={token}&page={page_id}. The token lasts
# PARTNER_PREVIEW_SECONDS.
PARTNER_PREVIEW_URL = os.environ.get("PARTNER_PREVIEW_URL", "")
PARTNER_PREVIEW_SECONDS = int(os.environ.get("PARTNER_PREVIEW_SECONDS", "600"))

# The Wagtail admin uses inline scripts and styles and frames its own previews (and the
# partner's frontend's, when there is one).
CSP_ADMIN_PATH_PREFIXES = ["/admin/"]
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *tile_origins(PARTNER_PREVIEW_URL)],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Never framed by another site (Wagtail lets its own previews be framed by the admin).
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Anonymous pages may be kept by browsers for a minute and by the CDN for an hour: the
# CDN is purged on publish (region_pages/cdn.py).
BROWSER_CACHE_MAX_AGE = int(os.environ.get("BROWSER_CACHE_MAX_AGE", "60"))
CDN_CACHE_MAX_AGE = int(os.environ.get("CDN_CACHE_MAX_AGE", "3600"))


def frontend_cache(environ) -> dict | None:
    """The HTTP (Varnish-style) purge backend, when FRONTEND_CACHE_PURGE_URL is set."""
    location = environ.get("FRONTEND_CACHE_PURGE_URL", "").strip()
    if not location:
        return None
    return {
        "default": {
            "BACKEND": "region_pages.cdn.TimeoutHTTPBackend",
            "LOCATION": location,
            "TIMEOUT": float(environ.get("FRONTEND_CACHE_PURGE_TIMEOUT", "5")),
        }
    }


WAGTAILFRONTENDCACHE = frontend_cache(os.environ)
# region_pages/cdn.py lists each language's URLs itself.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# Admin login: lock out a username at one client address after repeated failures
# (django-axes).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
# The pair, never one of them alone: by username alone anyone anywhere could lock any
# editor out with five wrong passwords; by address alone one colleague's typos would lock
# everyone behind the same office or municipal network.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False


def axes_client_address(environ) -> dict:
    """Where django-axes (through django-ipware) reads the client's address.

    AXES_PROXY_COUNT is the number of proxies in front of the site (CDN + load
    balancer: 2). The last of them is REMOTE_ADDR; each proxy appends the address it
    received the request from to X-Forwarded-For, so the header reaches us as
    "client, cdn": one proxy fewer than there are. django-ipware counts the proxies in
    the header, and takes the address just left of them, so an address a client writes
    in front of its own ("spoofed, client, cdn") changes nothing. That needs ipware's
    lenient mode: its strict mode rejects such a chain, and the lockout would then be
    keyed on an address every client shares.

    A login whose header lacks the proxies' entries (it did not come through them, or
    the header is malformed) has no address; all such logins share one count per
    username, apart from everyone else's.

    Without proxies X-Forwarded-For is whatever the client wrote, so only REMOTE_ADDR
    counts.
    """
    proxies = int(environ.get("AXES_PROXY_COUNT", "").strip() or "0")
    if proxies <= 0:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"],
            "IPWARE_STRICT": False,
        }
    return {
        "AXES_IPWARE_PROXY_COUNT": proxies - 1,
        # REMOTE_ADDR is the load balancer's, shared by every client.
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR"],
        "IPWARE_STRICT": False,
    }


_axes_client_address = axes_client_address(os.environ)
AXES_IPWARE_PROXY_COUNT = _axes_client_address["AXES_IPWARE_PROXY_COUNT"]
AXES_IPWARE_META_PRECEDENCE_ORDER = _axes_client_address["AXES_IPWARE_META_PRECEDENCE_ORDER"]
IPWARE_STRICT = _axes_client_address["IPWARE_STRICT"]
AXES_COOLOFF_MESSAGE = _(
    "Too many failed attempts to log in. For your security, logging in is blocked for a "
    "while: try again later, or ask an administrator to unlock the account."
)

# Whether the demo's commands may run: `load_demo` (demo accounts sharing one password)
# and `ensure_admin` with admin / admin. Production turns them off: there `load_demo`
# refuses to run and `ensure_admin` asks for a strong ADMIN_PASSWORD.
DEMO_COMMANDS_ALLOWED = True

# Each readiness probe (database, cache, storage) is waited for this many seconds; a part
# that has not answered by then is reported slow, not failing, for READINESS_SLOW_GRACE
# seconds without a successful answer: a busy machine must not be taken for a dead one.
READINESS_TIMEOUT = float(os.environ.get("READINESS_TIMEOUT", "3"))
READINESS_SLOW_GRACE = float(os.environ.get("READINESS_SLOW_GRACE", "30"))

# --------------------------------------------------------------------------------------
# Open data sources (sources/): endpoints, HTTP rules, staleness
# --------------------------------------------------------------------------------------

NAV_FEED_URL = os.environ.get("NAV_FEED_URL", "https://pam-stilling-feed.nav.no")
# A stable token issued by NAV; without it the rotating public token is used.
NAV_FEED_TOKEN = os.environ.get("NAV_FEED_TOKEN", "")
# Where an ad is read when the feed gives no link.
NAV_AD_URL = "https://arbeidsplassen.nav.no/stillinger/stilling/{uuid}"
SSB_API_URL = os.environ.get("SSB_API_URL", "https://data.ssb.no/api/pxwebapi/v2")
NSR_API_URL = os.environ.get("NSR_API_URL", "https://data-nsr.udir.no/v4")
NBR_API_URL = os.environ.get("NBR_API_URL", "https://data-nbr.udir.no/v4")
BRREG_API_URL = os.environ.get("BRREG_API_URL", "https://data.brreg.no/enhetsregisteret/api")
# MET Norway's sunrise API, version 3 (MET's terms: an identifying User-Agent, which the
# sources' HTTP client sends, and no more than about 20 requests a second).
MET_SUNRISE_URL = os.environ.get("MET_SUNRISE_URL", "https://api.met.no/weatherapi/sunrise/3.0")
# Entur's journey planner (GraphQL). Entur asks each client to name itself,
# "company-application", in the ET-Client-Name header.
ENTUR_JOURNEY_PLANNER_URL = os.environ.get(
    "ENTUR_JOURNEY_PLANNER_URL", "https://api.entur.io/journey-planner/v3/graphql"
)
ENTUR_CLIENT_NAME = os.environ.get("ENTUR_CLIENT_NAME", "ranaregionen-commute")
# Daylight for every day of the year (1), or every n-th day and the solstices.
SOURCES_DAYLIGHT_EVERY_DAYS = int(os.environ.get("SOURCES_DAYLIGHT_EVERY_DAYS", "1"))
SOURCES_HTTP_TIMEOUT = float(os.environ.get("SOURCES_HTTP_TIMEOUT", "20"))
SOURCES_HTTP_RETRIES = int(os.environ.get("SOURCES_HTTP_RETRIES", "3"))
# Seconds before the first retry; each further retry waits twice as long.
SOURCES_HTTP_BACKOFF = float(os.environ.get("SOURCES_HTTP_BACKOFF", "2"))
# The longest Retry-After (seconds) a run waits for; a longer one fails the run.
SOURCES_MAX_RETRY_AFTER = float(os.environ.get("SOURCES_MAX_RETRY_AFTER", "120"))
SOURCES_MAX_RESPONSE_BYTES = int(
    os.environ.get("SOURCES_MAX_RESPONSE_BYTES", str(20 * 1024 * 1024))
)
# Data whose last good run is older than this is marked stale to editors and in the API.
SOURCES_STALE_AFTER_HOURS = float(os.environ.get("SOURCES_STALE_AFTER_HOURS", "48"))
