# School Office — the two commands of the README, and what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint system-deps

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# Starts everything on the embedded default with the demo school at http://127.0.0.1:8000
demo: install
	$(BIN)/schoolctl up --demo

# LibreOffice turns documents into PDF; the tests use it when it can be installed here.
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null && ! command -v soffice >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			libreoffice-writer-nogui >/dev/null) || echo "warning: LibreOffice could not be installed; PDF tests check the refusal instead"; \
	fi

lint: install
	$(BIN)/ruff check .

# Runs every test (unit and integration, against the embedded default and the real servers)
test: install system-deps lint
	$(BIN)/pytest
