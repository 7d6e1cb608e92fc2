# Two commands do all set-up: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app transparency
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve test install translations db lint format clean messages

# The virtual environment, the project and its test tools; redone when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed translations

# Message catalogues are compiled at install time; the .mo files are not committed.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d transparency/translations

# A local secret key (git-ignored), the latest schema, reference data, demo data when empty,
# and a search index that agrees with the database before the first request.
db: install
	$(BIN)/python -m transparency.localconfig
	$(FLASK) init-db
	$(FLASK) demo-data --if-empty
	$(FLASK) search sync

run: db
	$(FLASK) run --host $(HOST) --port $(PORT)

# Production-style serving: gunicorn with gunicorn.conf.py (workers x threads, timeouts,
# staggered recycling, no preload), same app. docs/deploy.md has the full set-up. Several
# workers or machines count rate limits in Redis: TRANSPARENCY_RATELIMIT_STORAGE_URI=
# redis://host:6379/0, which needs the redis extra (pip install '.[redis]'; make install has it).
WORKERS ?= 4
THREADS ?= 2
serve: db
	$(BIN)/gunicorn -c gunicorn.conf.py --workers $(WORKERS) --threads $(THREADS) \
		--bind $(HOST):$(PORT) 'transparency:create_app()'

# The suite runs on SQLite; with TEST_DATABASE_URL set (CI sets it) it runs again on PostgreSQL.
# Two workers (CI has two cores); --dist loadfile keeps each test file on one worker, so a
# module's shared fixtures are built once. Each worker has its own temporary folder, SQLite
# files, index and PostgreSQL schema (tests/conftest.py). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u TEST_DATABASE_URL $(PYTEST)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== the same suite on PostgreSQL ($$TEST_DATABASE_URL) =="; \
		$(PYTEST) -m "not browser"; \
	fi

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build *.egg-info

# After adding or changing user-facing strings: extract them and update the catalogue.
messages: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -o build/messages.pot .
	$(BIN)/pybabel -q update -i build/messages.pot -d transparency/translations --ignore-obsolete
