#!/usr/bin/env bash
# Create .venv and install the locked requirements (only when they changed): the direct pins
# are in requirements*.txt, every transitive version in the matching .lock file.
#   scripts/setup.sh runtime   → requirements.lock + Debian's chromium and Noto fonts (exports)
#   scripts/setup.sh dev       → requirements-dev.lock + the same + Debian's LibreOffice (tests)
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-runtime}"
python="${PYTHON:-python3}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Python 3.11 or newer is required (found: $("$python" --version 2>&1))" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv

req=requirements.lock
[ "$mode" = dev ] && req=requirements-dev.lock
stamp=".venv/.installed-$mode-$(cat requirements*.txt requirements*.lock | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  rm -f .venv/.installed-"$mode"-*
  touch "$stamp"
fi

# Debian packages: chromium + Noto fonts render the figure exports (and drive the browser
# tests); for the tests, LibreOffice opens the templates and renders the briefing's PowerPoint
# and the Word report — in Liberation Serif 2 (Times New Roman's metrics, and Vietnamese: the
# older fonts-liberation 1.07 has no ạ, Ộ, Ở… and falls back to a wider font) —, and poppler's
# pdftotext locates every word of a rendered PDF. The dashboard works without them (it says
# how to enable exports), so for `runtime` a failed install only warns.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf ] || need+=(fonts-noto-core)
if [ "$mode" = dev ]; then
  for pkg in libreoffice-calc-nogui libreoffice-impress-nogui libreoffice-writer-nogui fonts-liberation2 \
      poppler-utils; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
fi
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
      --no-install-recommends "${need[@]}" >/dev/null; }; then
    if [ "$mode" = dev ]; then
      echo "could not install ${need[*]} with apt-get (needed by the tests)" >&2
      exit 1
    fi
    echo "warning: could not install ${need[*]}; figure and briefing exports stay off" >&2
  fi
fi
