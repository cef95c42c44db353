#!/usr/bin/env bash
# Install everything (Python packages and LibreOffice), lint, and run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
.venv/bin/ruff check .
.venv/bin/python -m pytest "$@"
