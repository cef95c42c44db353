#!/usr/bin/env bash
# The documentation site: the user guide's screenshots taken from the current code (the browser
# tests of tests/e2e/test_guide.py, on a fresh demo database), then `mkdocs build --strict` into
# site/ (git-ignored). `scripts/docs.sh serve` serves it on http://127.0.0.1:8000 instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/python -m pytest -n 0 -q tests/e2e/test_guide.py
if [ "${1:-}" = serve ]; then
    NO_MKDOCS_2_WARNING=1 exec .venv/bin/mkdocs serve --strict --dev-addr 127.0.0.1:8000
fi
NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --site-dir site
echo "site/index.html"
