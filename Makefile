# `make run` and `make test` each work on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app workflow
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Translations: English in the code and templates; Spanish and French catalogues beside them.
PYBABEL      := $(BIN)/pybabel
TRANSLATIONS := workflow/translations
POT          := $(TRANSLATIONS)/messages.pot
LOCALES      := es fr
PO           := $(foreach locale,$(LOCALES),$(TRANSLATIONS)/$(locale)/LC_MESSAGES/messages.po)
MO           := $(PO:.po=.mo)
# Besides Babel's defaults (_ gettext ngettext pgettext N_ …): lazy variants, and NP_ (a no-op with a context).
KEYWORDS     := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 -k NP_:1c,2

.PHONY: run test ready install migrate demo lint clean pot messages translations screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*; touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) seed reference
	$(FLASK) seed demo --if-empty

# The web server and the scheduler process side by side; Ctrl-C stops both.
run: demo $(MO)
	@echo "Peerflow on http://127.0.0.1:5000, with the reminder scheduler beside it (Ctrl-C stops both)"
	@$(FLASK) scheduler & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# What the suite needs before it starts: the virtualenv and the compiled catalogues.
ready: $(STAMP) $(MO)

test: ready
	$(BIN)/pytest $(PYTEST_ARGS)

# Extract every marked string into the template and merge it into each language's catalogue (new ones
# are created). Fuzzy matching stays off: a changed string comes back untranslated, never silently guessed.
# Extract the marked strings into the template only (translators' .po files untouched).
pot: $(STAMP)
	$(PYBABEL) extract -F babel.cfg $(KEYWORDS) --add-comments=TRANSLATORS: --sort-by-file \
		--project=Peerflow --msgid-bugs-address=peerflow@localhost -o $(POT) .

messages: pot
	for locale in $(LOCALES); do \
		$(PYBABEL) update -i $(POT) -d $(TRANSLATIONS) -l $$locale --init-missing --no-fuzzy-matching \
			--ignore-obsolete || exit 1; \
	done

# Compile every catalogue (the .mo files are build output, not kept in git).
translations: $(STAMP)
	$(PYBABEL) compile -d $(TRANSLATIONS) --statistics

# One compiled catalogue, rebuilt when its .po changes (`make run` and `make test` need them).
$(TRANSLATIONS)/%/LC_MESSAGES/messages.mo: $(TRANSLATIONS)/%/LC_MESSAGES/messages.po | $(STAMP)
	$(PYBABEL) compile -i $< -o $@ -l $* --statistics

# The screenshot gallery (docs/screenshots/index.html): every role's main pages, two sizes, three languages,
# on a fresh demo database served by gunicorn, in Debian's Chromium. Takes 8-10 minutes.
screenshots: $(STAMP) $(MO)
	$(BIN)/python bench/screenshots.py

lint: $(STAMP)
	$(BIN)/ruff check workflow seed tests config.py

clean:
	rm -rf $(VENV) instance/peerflow.db* .pytest_cache
	rm -f $(MO)
