# Entry points; the logic lives in scripts/ so it is readable bash rather than make.
#
#   make run                      migrate, load the demo, serve on http://127.0.0.1:8000 + worker/beat
#   make test [ARGS="-k foo"]     lint, throwaway PostgreSQL/Redis, migration check, pytest
#   make test STRICT=1            as CI does: missing services and skipped tests are failures
#   make bench [ARGS=...]
#   make lint / make fmt

SHELL := /bin/bash
ARGS ?=
STRICT ?=

# A fresh machine has pip but no uv.
ENSURE_UV = command -v uv >/dev/null 2>&1 || pip install uv

.PHONY: run test bench lint fmt

run:
	scripts/run

test:
	scripts/test $(if $(filter 1,$(STRICT)),--strict) $(ARGS)

bench:
	scripts/bench "$(ARGS)"

lint:
	@$(ENSURE_UV)
	uv run --locked ruff check .
	uv run --locked ruff format --check .

fmt:
	@$(ENSURE_UV)
	uv run --locked ruff format .
	uv run --locked ruff check --fix .
