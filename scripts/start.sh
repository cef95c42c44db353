#!/usr/bin/env bash
# Install, load the illustrative demo data when the database is empty, start the dashboard.
# The database is $SCA_DB (default: var/sca.duckdb); SCA_DEMO=0 starts on an empty one.
# Extra arguments go to `streamlit run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh runtime
export SCA_DB="${SCA_DB:-$PWD/var/sca.duckdb}"
if [ "$(.venv/bin/python -m sca_metrics settings --get demo)" = True ]; then
  .venv/bin/python -m sca_metrics demo --db "$SCA_DB" --if-empty
fi
# The upload limit is SCA_UPLOAD_MB (sca_metrics.settings): Streamlit's server takes it from here.
STREAMLIT_SERVER_MAX_UPLOAD_SIZE="$(.venv/bin/python -m sca_metrics settings --get upload_mb)"
export STREAMLIT_SERVER_MAX_UPLOAD_SIZE
exec .venv/bin/streamlit run app.py "$@"
