# Two commands do all set-up on a fresh machine: `make run` and `make test` (README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app run
export DEMO_DATA ?= 1

.PHONY: run test install translations migrate lint bench stress clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

# Compile the catalogues; any error in a .po stops the build (no pipe to hide the status).
translations: install
	$(BIN)/pybabel compile -d translations --statistics

# After changing a UI string: collect our msgids, Flask-AppBuilder's and WTForms' into
# translations/messages.pot and merge it into both catalogues, then translate the new `id`
# entries (tests/integration/test_i18n.py fails while one is empty).
.PHONY: messages
messages: install
	$(BIN)/python translations/extract.py
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100

migrate: translations
	$(FLASK) db upgrade
	$(FLASK) seed
	@if [ "$(DEMO_DATA)" = "1" ]; then $(FLASK) demo-data --if-empty; fi

# The web server and, beside it, the worker that runs the scheduled jobs (app/tasks.py);
# stopping the server stops the worker.
run: migrate
	$(BIN)/python -m huey.bin.huey_consumer app.tasks.huey --workers 1 --quiet & \
	trap "kill $$! 2>/dev/null" EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port $${PORT:-5000}

test: translations
	$(BIN)/python -m pytest -n auto
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		SIKAP_TEST_BACKEND=postgresql $(BIN)/python -m pytest -n auto -m "not e2e and not fuzz"; \
	fi

lint: install
	$(BIN)/ruff check app tests $(wildcard benchmarks) config.py run.py
	$(BIN)/ruff format --check app tests $(wildcard benchmarks) config.py run.py

# What every page of each role's navbar, the REST lists, the reports and a cold start cost on
# 5,000 and 100,000 demo pegawai, against the targets (not part of `make test`; about half an
# hour): benchmarks/bench.py, which finds the pages in the app (benchmarks/discovery.py).
# SQLite instance/bench-<N>.db, built the first time (about a minute each), or PostgreSQL:
# DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench{pegawai} make bench
# Writes benchmarks/results-<backend>.md.
bench: translations
	$(BIN)/python benchmarks/bench.py

# Load and fault run (not part of `make test`): gunicorn with 4 workers and the task queue's
# worker on PostgreSQL (STRESS_DATABASE_URL, default database sikap_stress on 127.0.0.1,
# re-created with 100,000 demo pegawai: a few minutes), 50 simulated users pausing 1-3 s for
# 60 s, one worker killed half-way; fails unless every invariant holds, and reports the
# targets (p95 per request, requests/s) in benchmarks/results-stress.md.
stress: translations
	$(BIN)/python benchmarks/stress.py

clean:
	rm -rf $(VENV) instance/sikap.db
