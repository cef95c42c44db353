#!/usr/bin/env bash
# Install, load the illustrative demo data when the database is empty, start the dashboard.
# The database is $SCA_DB (default: var/sca.duckdb); SCA_DEMO=0 starts on an empty one.
# Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
export SCA_DB="${SCA_DB:-$PWD/var/sca.duckdb}"
if [ "${SCA_DEMO:-1}" != 0 ]; then
  .venv/bin/python -m sca_metrics demo --db "$SCA_DB" --if-empty
fi
exec .venv/bin/streamlit run app.py "$@"
