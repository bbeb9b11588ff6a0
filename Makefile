# ipfin: `make run` serves the portal, `make test` runs the suite.
# Both create the virtualenv and install the pinned requirements when needed.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Two test processes (pytest-xdist); each has its own database and Redis database.
PYTEST_ARGS ?= -n 2

.PHONY: run prod prod-stop test journeys lint worker beat migrate seed backup restore translations messages bench bench-api bench-dashboards bench-matching bench-search clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when the pinned requirements change.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

translations: $(VENV)/.runtime
	$(PY) manage.py compile_translations

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_campaign

run: translations seed
	IPFIN_REQUIRE_MFA=false $(PY) manage.py runserver $(HOST)

# The portal as production runs it, on this machine: nginx on 127.0.0.1:8080,
# gunicorn, PgBouncer, Celery workers and beat (README, Production). Needs
# PostgreSQL and Redis (DATABASE_URL, REDIS_URL); installs nginx and pgbouncer
# with apt when missing. Logs and pid files go to .prod/.
prod: $(PY)
	deploy/prod.sh start

prod-stop:
	deploy/prod.sh stop

# The browser journeys (tests/browser) run when Debian's chromium is installed
# and are skipped, with the reason, when it is not.
test: $(VENV)/.dev translations
	$(PY) -m pytest $(PYTEST_ARGS)

# Only the browser journeys; they refresh docs/screenshots/.
journeys: $(VENV)/.dev translations
	IPFIN_SCREENSHOTS=docs/screenshots $(PY) -m pytest tests/browser -m browser $(PYTEST_ARGS)

# Ruff, then mypy with the Django and DRF plugins (pyproject.toml says what it checks).
lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy .

worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A ipfin worker --loglevel=info

# The periodic tasks (settings.CELERY_BEAT_SCHEDULE): one beat beside the workers.
beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A ipfin beat --loglevel=info --schedule $(VENV)/celerybeat-schedule

# One archive with the database and every stored file (README, Backups):
# `make backup` writes ipfin-backup-<date>-<time>.tar.gz here, or FILE=path.
backup: $(VENV)/.runtime
	$(PY) manage.py backup $(if $(FILE),--output $(FILE))

# Replaces the database and every stored file with the archive's, after
# checking it and asking. Stop the portal and its workers first.
restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "usage: make restore FILE=ipfin-backup-<date>-<time>.tar.gz"; exit 2; }
	$(PY) manage.py restore $(FILE)

# Extract the strings marked for translation into the catalogues (needs GNU gettext).
messages: $(VENV)/.runtime
	$(PY) manage.py makemessages --locale zh_Hans --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*' --no-obsolete

# Benchmarks need PostgreSQL (BENCH_DATABASE_URL, default a local ipfin_bench database).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ipfin_bench

bench: bench-api bench-dashboards bench-matching

# Redis is the cache in the API benchmark, as in production; BENCH_API_ARGS passes
# options on, e.g. "--seconds 3" or "--target http://127.0.0.1:8080" (make prod).
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/15
BENCH_API_ARGS ?=

bench-api: $(VENV)/.dev
	createdb -h 127.0.0.1 -U postgres ipfin_bench 2>/dev/null || true
	cd bench && DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) ../$(PY) api_throughput.py $(BENCH_API_ARGS)
	cd bench && DATABASE_URL=$(BENCH_DATABASE_URL) ../$(PY) api_cpu.py

# Dashboards: a campaign of 1,000,000 contracts and 2,000,000 registrations (built once);
# what keeping the rollups current costs a write, and a burst of writes at one event
# with a real worker (Redis: BENCH_DASH_REDIS_URL, whose Celery queue it purges), then
# every dashboard answer timed against the same raw GROUP BY over the base tables.
BENCH_DASH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ipfin_bench_dash
BENCH_DASH_REDIS_URL ?= redis://127.0.0.1:6379/14

bench-dashboards: $(VENV)/.dev
	createdb -h 127.0.0.1 -U postgres ipfin_bench_dash 2>/dev/null || true
	cd bench && DATABASE_URL=$(BENCH_DASH_DATABASE_URL) ../$(PY) generate_dashboards.py
	cd bench && DATABASE_URL=$(BENCH_DASH_DATABASE_URL) ../$(PY) rollup_upkeep.py
	cd bench && DATABASE_URL=$(BENCH_DASH_DATABASE_URL) REDIS_URL=$(BENCH_DASH_REDIS_URL) ../$(PY) rollup_upkeep.py --burst 20
	cd bench && DATABASE_URL=$(BENCH_DASH_DATABASE_URL) ../$(PY) dashboards_bench.py
# Ranking, leads and an event's meeting schedule at 10,000 products, 100,000
# enterprises and 1,400 × 220 × 8 (its own database, filled on the first run).
BENCH_MATCHING_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ipfin_bench_match

bench-matching: $(VENV)/.dev
	createdb -h 127.0.0.1 -U postgres ipfin_bench_match 2>/dev/null || true
	cd bench && DATABASE_URL=$(BENCH_MATCHING_DATABASE_URL) ../$(PY) bench_matching.py

# Search at 10,000 products and 100,000 enterprises, against a plain icontains
# over the source tables in the same run: on SQLite (a file in the temp folder)
# unless DATABASE_URL is set, e.g. postgres://postgres@127.0.0.1:5432/ipfin_bench_search
# (createdb it first). The first run fills the database and builds the index.
bench-search: $(VENV)/.dev
	cd bench && ../$(PY) bench_search.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
