# 向阳 — two commands on a bare machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install run serve test test-fast e2e lint messages lock demo clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

## make run: install, migrate, load the demo county (idempotent), serve on 127.0.0.1:8000.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## make test: install and run every test (browser tests included where Chromium is present).
test: install
	$(PY) manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
	$(BIN)/pytest

e2e: install
	$(BIN)/pytest -m e2e

lint: install
	$(BIN)/ruff check .

## make messages: refresh the translation catalogues after changing strings.
messages: install
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=node_modules --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

## make lock: re-resolve the pinned set from pyproject.toml's bounds.
lock:
	rm -rf /tmp/xy-lock && $(PYTHON) -m venv /tmp/xy-lock
	/tmp/xy-lock/bin/pip install --quiet --upgrade pip
	/tmp/xy-lock/bin/pip install --quiet ".[dev]"
	/tmp/xy-lock/bin/pip freeze --exclude-editable | grep -vi '^xiangyang' > requirements.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
