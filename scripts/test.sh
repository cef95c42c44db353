#!/usr/bin/env bash
# Install everything (Python packages; Debian's chromium, Noto fonts and LibreOffice), lint,
# and run every test (unit, AppTest, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
