#!/usr/bin/env bash
# Install everything (Python packages; Debian's chromium, Noto fonts and LibreOffice), lint,
# check the layering and the types, and run every test (unit, AppTest, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/lint-imports      # the pipeline's layering (contracts in pyproject.toml)
.venv/bin/mypy              # the engine's types (settings in pyproject.toml)
# Unit and AppTest files on two workers (a file per worker; SCA_TEST_WORKERS=0 runs them in one
# process) with their coverage, which may not fall below the floor in pyproject.toml
# ([tool.coverage.report] fail_under); then the real-browser tests on their own (-n 0: beside
# another worker a browser's rerun sometimes came late), which also take the user guide's
# screenshots; then the documentation site (mkdocs.yml), strict: a broken link, a missing
# screenshot or a page left out of it fails. Arguments: pytest's, on two workers.
# The quick run while working: .venv/bin/python -m pytest -m "not browser and not office"
workers="${SCA_TEST_WORKERS:-2}"
if [ "$#" -eq 0 ]; then
    .venv/bin/python -m pytest -n "$workers" --dist loadfile --cov --cov-report=term:skip-covered \
        tests/unit tests/app
    .venv/bin/python -m pytest -n 0 tests/e2e
    NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet --site-dir "$(mktemp -d)"
else
    .venv/bin/python -m pytest -n "$workers" --dist loadfile "$@"
fi
