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

# Debian tools the tests use where they can be installed: LibreOffice (docx → PDF), pdftoppm (the
# documents' pages as images), docker-compose (checks deploy/docker-compose.yml), promtool (checks the alert rules) and
# Chromium (the browser tests; Playwright cannot download its own browser here).
SYSTEM_TOOLS := soffice:libreoffice-writer-nogui pdftoppm:poppler-utils docker-compose:docker-compose promtool:prometheus chromium:chromium
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
		|| echo "warning: could not install$$missing"; \
	fi

lint: install
	$(BIN)/ruff check .

# Runs every test (unit and integration, against the embedded default and the real servers)
test: install system-deps lint
	$(BIN)/pytest
