#!/usr/bin/env bash
# Install everything (Python packages; Debian's chromium, Noto fonts and LibreOffice), lint,
# check the layering and the types, and run every test (unit, AppTest, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/lint-imports      # the pipeline's layering (contracts in pyproject.toml)
.venv/bin/mypy              # the engine's types (settings in pyproject.toml)
# the documentation site (mkdocs.yml), strict: a broken link or a page left out of it fails
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir "$(mktemp -d)"
# Unit and AppTest files on two workers (a file per worker; SCA_TEST_WORKERS=0 runs them in one
# process), then the real-browser tests on their own: beside another worker a browser's rerun
# sometimes came late. Arguments: pytest's, on two workers.
workers="${SCA_TEST_WORKERS:-2}"
if [ "$#" -eq 0 ]; then
    .venv/bin/python -m pytest -n "$workers" --dist loadfile tests/unit tests/app
    .venv/bin/python -m pytest tests/e2e
else
    .venv/bin/python -m pytest -n "$workers" --dist loadfile "$@"
fi
