#!/usr/bin/env bash
# Create .venv and install the pinned requirements (only when they changed).
#   scripts/setup.sh runtime   → requirements.txt
#   scripts/setup.sh dev       → requirements-dev.txt + Debian's LibreOffice (for the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is required (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv

req=requirements.txt
[ "$mode" = dev ] && req=requirements-dev.txt
stamp=".venv/.installed-$mode-$(cat requirements*.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  rm -f .venv/.installed-"$mode"-*
  touch "$stamp"
fi

if [ "$mode" = dev ] && ! command -v soffice >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    libreoffice-calc-nogui >/dev/null
fi
