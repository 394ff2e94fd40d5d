# Atlas Cœur des territoires — the two commands a newcomer needs: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-postgres browser-deps axe-deps nginx-deps geodata check bench serve clean lint-imports mutate

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

## run: install (first time) and serve the app on http://127.0.0.1:8050 with the committed data
run: $(STAMP)
	$(BIN)/python app.py

## test: install (first time, Chromium, axe-core and nginx included) and run every test: layer contract, unit,
## callbacks, browser (accessibility audit included), production
test: $(STAMP) browser-deps axe-deps nginx-deps
	$(BIN)/lint-imports --config .importlinter
	$(BIN)/python -m geodata.check
	$(BIN)/python -m pytest -q tests

## test-fast: unit and callback tests only (no browser)
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit tests/integration tests/security

## test-postgres: the store, concurrency and fault tests on SQLite and on Debian's PostgreSQL (installed, started)
test-postgres: $(STAMP)
	TEST_DATABASE_URL=$$(bash .ci/postgres.sh) $(BIN)/python -m pytest -q tests/security

## browser-deps: Debian's chromium + chromium-driver for the browser tests (needs root or sudo)
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

## axe-deps: axe-core (package.json, pinned in package-lock.json) for the browser accessibility audit
## (tests/browser/test_accessibility_browser.py); Debian's npm first if missing (root or sudo only then)
axe-deps:
	@if ! command -v npm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq npm; \
	fi
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then npm ci --no-audit --no-fund; fi

## nginx-deps: Debian's nginx-light for `make serve` and tests/production (root or sudo only when it is missing)
nginx-deps:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx-light; \
	fi

## geodata: rebuild geodata/ from ../shared/raw (only needed when sources change)
geodata: $(STAMP)
	$(BIN)/python -m geodata.build && $(BIN)/python -m geodata.check

## lint-imports: the layer contracts of .importlinter (models/ imports no UI; cli → loaders | stores → domain → text)
lint-imports: $(STAMP)
	$(BIN)/lint-imports --config .importlinter

## mutate: mutation testing of models/ with mutmut (setup.cfg; slow, not in CI: see README "Tests").
##   One module: make mutate MUTANTS='models.domain.demand*'; then $(BIN)/mutmut results / show NAME
MUTANTS ?=
mutate: $(STAMP)
	nice -n 10 $(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/python scripts/mutation_scores.py

## bench: print every benchmark figure with its budget
bench: $(STAMP) nginx-deps
	$(BIN)/python -m benchmarks

## serve: production stack (deploy/serve.py): nginx (deploy/nginx.conf.template: timeouts, body limit, buffering,
## headers, gzip, assets) in front of gunicorn (gunicorn.conf.py: 2 threaded workers) on a private unix socket
serve: $(STAMP) nginx-deps
	$(BIN)/python deploy/serve.py

clean:
	rm -rf $(VENV) node_modules tests/output .pytest_cache
