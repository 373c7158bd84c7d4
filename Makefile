# Ranaregionen: `make help` lists the targets.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
RUN := $(UV) run --locked
MANAGE := $(RUN) python manage.py
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/ranaregionen
DEBIAN_PACKAGES := chromium gettext redis-server varnish postgresql nginx

.PHONY: help install system-deps demo test static-checks lint check messages pytest pytest-sqlite pytest-postgres smoke prod-smoke bench-search bench-api bench-site bench-cold-start bench-publish bench-sources docs-screenshots makemessages format clean scale-smoke

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

system-deps: ## Install the Debian packages the project needs (Chromium, gettext, Redis, Varnish, PostgreSQL's server programs)
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

install: $(UV) system-deps frontend/build/.built ## Install Python, Debian and npm dependencies and build the stylesheets
	$(UV) sync --locked --quiet

# Designsystemet from the npm registry (package-lock.json), built into static files;
# again only when the lock file, the build or the themes change.
frontend/build/.built: package.json package-lock.json frontend/build.mjs frontend/designsystemet.config.json
	@command -v npm >/dev/null || { echo "Node.js 20 with npm is needed to build the stylesheets: install it, then run make install again." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

messages: install ## Compile the gettext catalogues in locale/
	$(MANAGE) compilemessages --ignore=.venv --ignore=.tools -v0

makemessages: install ## Update the gettext catalogues from the code and templates
	$(MANAGE) makemessages -l nb -l en --ignore=.venv --ignore=.tools --ignore=tests --no-obsolete

# The demo's Site, links and admin e-mails use the port it is served on.
demo: export SITE_BASE_URL ?= http://127.0.0.1:$(PORT)
demo: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
demo: install messages ## Migrate, load the demo content, create an admin and serve on PORT
	$(MANAGE) migrate --no-input -v1
	$(MANAGE) load_demo
	# Open data from the recorded sample payloads, served on loopback (no internet needed).
	$(MANAGE) sync_sources --offline
	$(MANAGE) ensure_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install ## ruff, djhtml, hadolint, deptry (declared dependencies) and import-linter (floors)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) djhtml --check $$(git ls-files '*.html')
	$(RUN) hadolint Dockerfile
	$(RUN) deptry .
	$(RUN) lint-imports

check: install ## Django's system checks and missing migrations
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=cms.settings.test $(MANAGE) makemigrations --check --dry-run

# Both cores (PYTEST_WORKERS=1 for one); the browser tests share one worker and one demo
# site (--dist loadgroup); the slowest tests are listed at the end of each pass. Progress
# counts the pass's own tests ([ 812/2058]), so two passes side by side tell apart.
PYTEST_WORKERS ?= 2
PYTEST := $(RUN) pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 -o console_output_style=count

# Each line of a pass's output starts with the pass's name, as the two run side by side.
pytest-sqlite: install messages ## The test suite on SQLite
	set -o pipefail; $(PYTEST) 2>&1 | sed -u 's/^/sqlite     | /'

pytest-postgres: install messages ## The tests that touch the database, again on PostgreSQL (127.0.0.1:5432)
	set -o pipefail; DATABASE_URL=$(POSTGRES_URL) $(PYTEST) --database-dependent-only 2>&1 \
		| sed -u 's/^/postgresql | /'

pytest: pytest-sqlite pytest-postgres

prod-smoke: install messages ## Run the site as production does (gunicorn, PostgreSQL, Redis, S3) on loopback and check it
	POSTGRES_URL=$(POSTGRES_URL) $(RUN) python ops/prod_smoke.py

scale-smoke: install messages ## Two app servers behind Varnish, a PostgreSQL primary and its streaming replica, Redis, on loopback: publish, replica reads, feed order, a server killed under load, the replica stopped
	$(RUN) python ops/scale_smoke.py

openapi-snapshot: install ## Record the partner API's grown OpenAPI document in api/openapi-v1.json (refuses a change that takes anything away)
	$(RUN) python -m api.snapshot

# Side by side: each starts its own servers (Redis, PostgreSQL or its database, S3,
# Varnish) on free ports, and they wait for what they start rather than for a time.
smoke: install messages ## prod-smoke and scale-smoke side by side
	$(MAKE) --no-print-directory -j2 --output-sync=line prod-smoke scale-smoke

# A pass alone leaves about a third of both cores idle (its tests wait for Chromium,
# servers and sockets): the two passes and the static checks run side by side and fill
# it. Their output comes as it goes, each pass's lines marked with its name and its
# progress counting its own tests; each pass ends with its own summary. The smoke tests
# come after: they time what they check (a publish seen by another process within
# seconds), which a machine this busy would fail.
static-checks: lint check

test: install messages ## Everything CI runs: lint, checks, catalogues, tests on SQLite and PostgreSQL, production and scale-out smoke tests
	$(MAKE) --no-print-directory -j3 static-checks pytest-sqlite pytest-postgres
	$(MAKE) --no-print-directory smoke

bench-search: install ## Search benchmark on a throw-away PostgreSQL database (not part of make test)
	BENCH_DATABASE_URL=$(POSTGRES_URL)_bench_search $(RUN) python bench/search_bench.py

bench-api: install ## Partner API benchmark: gunicorn on loopback against a static file of the same bytes (not part of make test)
	$(RUN) python bench/api_bench.py

bench-site: install ## Every public address with and without the response cache, against Django and nginx sending the same bytes, on PostgreSQL and Redis (not part of make test)
	$(RUN) python bench/site_bench.py --postgres

bench-cold-start: install ## A new gunicorn worker's first request, with and without the master's warm-up (not part of make test)
	$(RUN) python bench/cold_start_bench.py

bench-publish: install ## Publishing a municipality page of 14 and 400 blocks against Wagtail's own publish (not part of make test)
	$(RUN) python bench/publish_bench.py

# The browser walk-through's screenshots that docs/editors.md shows, by their names there.
DOCS_SCREENSHOTS = 01-innlogging:01-logg-inn 03-kommuneside:02-rediger 04-velg-blokk:03-velg-blokk \
	05-ny-aktivitet:04-ny-aktivitet 06-send-til-godkjenning:05-send-til-godkjenning \
	08-koordinator-dashbord:06-koordinator 09-godkjenn:07-godkjenn 11-publisert:08-publisert \
	13-synkroniser:09-synkroniser 14-oversetter:10-oversetter 15-publiser-med-hull:11-publiser-med-hull

docs-screenshots: install messages ## Walk the editors' day in the browser and refresh docs/editors.md's screenshots from it
	$(RUN) pytest -p no:randomly -q tests/browser/test_editor_walkthrough.py tests/browser/test_translation_round.py
	@for pair in $(DOCS_SCREENSHOTS); do \
		cp test-artifacts/editors/$${pair%%:*}.png docs/img/editors-$${pair##*:}.png; \
	done
	@echo "docs/img/editors-*.png refreshed from the walk-through."

bench-sources: install ## Import pipeline benchmark: 5,000 ads and 2,000 register units over loopback (not part of make test)
	$(RUN) python bench/sources_bench.py

format: install ## Format the code
	$(RUN) ruff check --fix .
	$(RUN) ruff format .
	$(RUN) djhtml $$(git ls-files '*.html')

clean: ## Remove the local database, media and caches
	rm -rf db.sqlite3 media static .pytest_cache .ruff_cache .hypothesis test-artifacts frontend/build
