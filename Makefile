VENV ?= .venv
PYTHON ?= python3.11
BIN := $(VENV)/bin
PYTEST_ARGS ?=

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export PREFECT_HOME ?= $(CURDIR)/.mentorflow/prefect

.PHONY: install test test-postgres demo migration clean

$(BIN)/mentorflow: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/mentorflow

test: install
	mkdir -p "$(PREFECT_HOME)"
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The lifecycle and repository suites again with the application database on PostgreSQL
# (a fresh database per test on the cluster ops/postgres.sh starts; Prefect's test server stays on SQLite).
test-postgres: install
	url="$${MENTORFLOW_TEST_DATABASE_URL:-$$(ops/postgres.sh test-url)}" && test -n "$$url" && \
		MENTORFLOW_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest tests/flows tests/models -m "not slow" $(PYTEST_ARGS)

# A line per stage on the console; Prefect's own INFO lines stay in the runs' logs.
demo: install
	PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL=$${PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL:-WARNING} $(BIN)/mentorflow demo --pairs 40

# Regenerate the (not yet released) initial migration from models/tables.py.
migration: install
	rm -f models/migrations/versions/0001_*.py /tmp/mentorflow-autogen.db
	cd /tmp && $(CURDIR)/$(BIN)/python -c "from alembic import command; from models.db import alembic_config; command.revision(alembic_config('sqlite:////tmp/mentorflow-autogen.db'), message='initial schema', autogenerate=True, rev_id='0001')"

clean:
	rm -rf $(VENV) .mentorflow .pytest_cache
