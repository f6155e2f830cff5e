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

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

## Execute every notebook in place (fresh kernel, top to bottom) and render the findings under $(OUT)/
findings: env
	$(BIN)/python -m framelens.render --notebooks notebooks --out $(OUT)

## Unit tests + doctests, then strict nbval over every notebook
test: env
	$(BIN)/python -m pytest tests src/framelens --doctest-modules
	$(BIN)/python -m pytest --nbval --nbval-current-env --sanitize-with tests/nbval-sanitize.cfg notebooks

## Open the notebooks in JupyterLab from the project environment
lab: env
	$(BIN)/jupyter lab notebooks

clean-env:
	rm -rf $(VENV)
