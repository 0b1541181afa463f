#!/usr/bin/env bash
# Serve SaferPlan as in production: gunicorn (web, static files through WhiteNoise) and the task worker
# (`saferplan db_worker`), started together and stopped together on Ctrl-C or TERM.
# Settings come from the environment: see src/saferplan/config/gunicorn.py and config/settings.py.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
export SAFERPLAN_DATA_DIR="${SAFERPLAN_DATA_DIR:-$PWD/var}"
if [ -z "${SECRET_KEY:-}" ] && [ -f "$SAFERPLAN_DATA_DIR/secret_key" ]; then
  # The key `saferplan` generated for this data folder in development (saferplan.cli.ensure_secret_key).
  SECRET_KEY="$(cat "$SAFERPLAN_DATA_DIR/secret_key")"
  export SECRET_KEY
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$BIN/gunicorn" --config python:saferplan.config.gunicorn &
pids+=($!)

if "$BIN/saferplan" help db_worker >/dev/null 2>&1; then
  # Queue the next scheduled reminders run if none is queued yet (a fresh install, or a lost queue).
  "$BIN/saferplan" reminders schedule || echo "serve: the reminders schedule could not be queued" >&2
  # Below the web workers in CPU priority: a police import uses every core, and readers come first.
  # --no-reload: a reload on a code change would kill the task it is running.
  nice -n "${WORKER_NICE:-10}" "$BIN/saferplan" db_worker --no-reload &
  pids+=($!)
else
  echo "serve: no task worker (\`saferplan db_worker\` is not installed yet); serving the web only." >&2
fi

# When either stops, stop the other and exit with its status.
wait -n
status=$?
stop
exit "$status"
