# Hyteopas: every set-up step a fresh machine needs. See README.md.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast system-deps install i18n-extract i18n-update bench clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

## Run the bot: web chat + API (+ Telegram when TELEGRAM_BOT_TOKEN is set), SQLite, bundled catalogue.
run: install
	$(BIN)/python -m bot serve

## System packages the tests use (Debian): PostgreSQL server, Chromium, voikko. Needs root.
system-deps:
	@bash scripts/system-deps.sh

## Run the whole test suite as CI does.
test: system-deps install
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

## In-process tests only (no subprocess servers, no browser): for the edit-test loop.
test-fast: install
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not browser" $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m benchmarks

## Translations: extract messages of each domain and merge them into locales/{fi,sv}.
i18n-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ -k ngettext:1,2 --no-location -o locales/messages.pot bot/core bot/catalogue bot/ptv bot/cli.py bot/runtime.py
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ -k ngettext:1,2 --no-location -o locales/telegram.pot bot/channels/telegram
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ -k ngettext:1,2 --no-location -o locales/web.pot bot/channels/web

i18n-update: i18n-extract
	for d in messages telegram web; do for l in fi sv; do \
	  if [ -f locales/$$l/LC_MESSAGES/$$d.po ]; then \
	    $(BIN)/pybabel update --no-fuzzy-matching -D $$d -i locales/$$d.pot -d locales -l $$l; \
	  else $(BIN)/pybabel init -D $$d -i locales/$$d.pot -d locales -l $$l; fi; done; done

clean:
	rm -rf $(VENV) data
