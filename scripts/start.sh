#!/usr/bin/env bash
# Install, load the illustrative demo data when the database is empty, start the dashboard.
# The database is $SCA_DB (default: var/sca.duckdb); SCA_DEMO=0 starts on an empty one.
# Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Without sign-in ([auth] in .streamlit/secrets.toml) the dashboard listens on this computer
# only: asking for another address is refused before anything starts.
address="${STREAMLIT_SERVER_ADDRESS:-127.0.0.1}"
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --server.address=*) address="${args[$i]#*=}" ;;
    --server.address) address="${args[$((i + 1))]:-}" ;;
  esac
done
case "$address" in
  127.*|localhost|::1) ;;
  *)
    if ! grep -qs '^[[:space:]]*\[auth\]' .streamlit/secrets.toml "$HOME/.streamlit/secrets.toml"; then
      echo "error: sign-in is off (no [auth] in .streamlit/secrets.toml), so the dashboard may" \
           "listen only on this computer (127.0.0.1), not on ${address:-every address}." \
           "Configure sign-in first: docs/operating/sign-in.md." >&2
      exit 2
    fi ;;
esac

scripts/setup.sh runtime
export SCA_DB="${SCA_DB:-$PWD/var/sca.duckdb}"
if [ "$(.venv/bin/python -m sca_metrics settings --get demo)" = True ]; then
  .venv/bin/python -m sca_metrics demo --db "$SCA_DB" --if-empty
fi
# The upload limit is SCA_UPLOAD_MB (sca_metrics.settings): Streamlit's server takes it from here.
STREAMLIT_SERVER_MAX_UPLOAD_SIZE="$(.venv/bin/python -m sca_metrics settings --get upload_mb)"
export STREAMLIT_SERVER_MAX_UPLOAD_SIZE
exec .venv/bin/streamlit run app.py "$@"
