#!/usr/bin/env bash
# Install everything (Python packages; Debian's chromium, Noto fonts and LibreOffice), lint,
# check the layering and the types, and run every test (unit, AppTest, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/lint-imports      # the pipeline's layering (contracts in pyproject.toml)
.venv/bin/mypy              # the engine's types (settings in pyproject.toml)
# two workers, a test file on one worker (its fixtures built once); SCA_TEST_WORKERS=0 runs in one
.venv/bin/python -m pytest -n "${SCA_TEST_WORKERS:-2}" --dist loadfile "$@"
