# 向阳 — two commands on a bare machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run dev serve test test-fast e2e lint messages lock demo clean compilemessages backup restore

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## make run: install, migrate, load the demo county (idempotent), serve on 127.0.0.1:8000
## as a visitor would meet it: DEBUG off, so a missing or hidden page shows the portal's own
## Chinese 404/403/500 pages; static files collected and served by WhiteNoise.
## make dev: the same data with DEBUG on and runserver's reload (template edits show at once).
run: install compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	DEBUG=False $(PY) manage.py collectstatic --noinput -v0
	DEBUG=False $(PY) manage.py runserver --noreload 127.0.0.1:8000

dev: install compilemessages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	DEBUG=True $(PY) manage.py runserver 127.0.0.1:8000

# pyproject.toml's addopts load tests/plugins/ci_no_skip.py and transactional.py (docs/ci.md).
PYTEST := $(BIN)/pytest

# axe-core for the browser tests (package.json), installed when node_modules is missing
# or older than the lock; without npm the accessibility checks skip (fail in CI).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else \
		echo "npm not found: the browser tests' accessibility checks will skip"; \
	fi

## Compile the translation catalogues when gettext (msgfmt) is there; the Chinese
## interface needs them. Without gettext the committed .mo files are used as they are.
compilemessages: install
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0; \
	else \
		echo "msgfmt not found (apt-get install gettext): using the committed .mo files"; \
	fi

## make test: install and run every test (browser tests included where Chromium is present),
## spread over the machine's cores (pytest-xdist). Arguments for pytest:
## make test ARGS="tests/people -x"; one process: make test XDIST=0
XDIST ?= auto
test: install compilemessages $(NODE_STAMP)
	$(PYTEST) -n $(XDIST) $(ARGS)

e2e: install compilemessages $(NODE_STAMP)
	$(PYTEST) -m e2e $(ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## make messages: refresh the translation catalogues after changing strings.
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=node_modules --ignore=tests --ignore=staticfiles --ignore=bench-results --ignore='portal/bench/reference*' --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

## make lock: re-resolve the pinned set from pyproject.toml's bounds.
lock:
	rm -rf /tmp/xy-lock && $(PYTHON) -m venv /tmp/xy-lock
	/tmp/xy-lock/bin/pip install --quiet --upgrade pip
	/tmp/xy-lock/bin/pip install --quiet ".[dev]"
	/tmp/xy-lock/bin/pip freeze --exclude-editable | grep -vi '^xiangyang' > requirements.lock

## make backup [BACKUP_DIR=...]: database and media files into a new directory;
## make restore BACKUP_DIR=...: put them back (asks first). See docs/operations.md.
BACKUP_DIR ?= backups/$(shell date +%Y%m%d-%H%M%S)
backup: install
	$(PY) manage.py backup $(BACKUP_DIR)

restore: install
	@test -n "$(BACKUP_DIR)" -a -d "$(BACKUP_DIR)" || { echo "make restore BACKUP_DIR=<a backup directory>"; exit 2; }
	$(PY) manage.py restore $(BACKUP_DIR)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache test-results

## make scale: a synthetic province in a scratch PostgreSQL database (portal/bench/scale.py).
## make scale COUNTIES=1 for one county; SCALE_DB names the database (must contain "bench").
.PHONY: scale bench
COUNTIES ?= 100
SEED ?= 1
SCALE_DB ?= postgres://postgres@127.0.0.1:5432/xy_bench_data
scale: install
	$(PY) -m portal.bench.createdb $(SCALE_DB)
	DATABASE_URL=$(SCALE_DB) DJANGO_SETTINGS_MODULE=portal.settings.bench \
		$(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(SCALE_DB) DJANGO_SETTINGS_MODULE=portal.settings.bench \
		$(PY) manage.py generate_scale --counties $(COUNTIES) --seed $(SEED)

## make bench: serve the portal (on the generated data) and the stock Wagtail reference under
## gunicorn, drive the key pages with wrk; table in bench-results/latest.md, exit 1 below a floor.
BENCH_SECONDS ?= 5
BENCH_CONNECTIONS ?= 2
bench: install
	DATABASE_URL=$(SCALE_DB) DJANGO_SETTINGS_MODULE=portal.settings.bench \
		$(PY) manage.py bench --seconds $(BENCH_SECONDS) --connections $(BENCH_CONNECTIONS)
