# Xung Kích Số — the two README commands and a few helpers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint types check-migrations messages ci clean

$(STAMP): requirements.lock
	@# Debian's python3 may lack ensurepip (package python3-venv): fall back to a venv without
	@# pip and let the system pip install pip into it.
	$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); $(PYTHON) -m venv --without-pip $(VENV) && \
		$(PYTHON) -m pip --python $(PY) install --quiet pip; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $(STAMP)

## make run: environment from the lock file, SQLite under var/, demo data, serve on 127.0.0.1:8000
run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@# The background worker (solver runs, long exports) runs beside the web server and stops with it.
	$(PY) manage.py db_worker & trap "kill $$! 2>/dev/null" EXIT INT TERM; \
		$(PY) manage.py runserver 127.0.0.1:8000

## make test: the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
# Two workers (pytest-xdist; each has its own test database): the suite takes about 5½ minutes
# instead of 9 on two cores. PYTEST_ARGS= (empty) runs it in one process.
PYTEST_ARGS ?= -n 2
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP)
	$(VENV)/bin/mypy xungkich

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

## make messages: refresh locale/vi from the code and templates, then compile
messages: $(STAMP)
	$(PY) manage.py makemessages -l vi --no-obsolete --no-location -i ".venv/*" -i "var/*"
	$(PY) manage.py compilemessages -l vi -i .venv -i var

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var/xungkich.sqlite3*
