# framelens: the two commands are `make findings` and `make test` (see README.md).
# Both create the virtual environment .venv from requirements.lock when it is missing.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.framelens-installed
CORPUS ?= seeds
OUT    ?= reports

.PHONY: findings test env lab clean-env

env: $(STAMP)

$(STAMP): requirements.lock pyproject.toml setup.py src/framelens/textscan.c
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

## Execute every notebook in place (fresh kernel, top to bottom) and render the findings under $(OUT)/
## (CORPUS=other/folder runs them on another corpus: executed copies go to $(OUT)/notebooks/)
findings: env
	$(BIN)/python -m framelens.render --notebooks notebooks --out $(OUT) $(if $(filter-out seeds seeds/,$(CORPUS)),--corpus $(CORPUS),$(if $(filter reports reports/,$(OUT)),--readme README.md))

## Unit tests + doctests (incl. headless Chromium on the rendered pages), then strict nbval over every notebook.
## Debian's chromium is installed first when missing and root or sudo is available; otherwise the
## browser tests skip and say why.
test: env
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; \
	  else echo "chromium missing and neither root nor sudo: browser tests will skip"; exit 0; fi; \
	  { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; } \
	    || echo "could not install chromium: browser tests will skip"; }
	$(BIN)/python -m pytest tests src/framelens --doctest-modules
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval-sanitize.cfg notebooks

## Open the notebooks in JupyterLab from the project environment
lab: env
	$(BIN)/jupyter lab notebooks

clean-env:
	rm -rf $(VENV)
