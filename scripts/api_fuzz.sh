#!/usr/bin/env bash
# Schemathesis over the whole API (issue 8): no 5xx, and every response matches the OpenAPI schema.
#
#   bash scripts/api_fuzz.sh            # from the repository root, after `make install`
#
# It migrates a throw-away SQLite database (or FUZZ_DATABASE_URL), loads the demo data, issues a one-day
# token for the demo integration account, serves the portal with `manage.py runserver` on a free local port
# — the development server on purpose: its WSGI layer is the strict one that refused DRF's Hyperlink in a
# Location header — and runs schemathesis against /api/schema/ with a bounded number of examples per
# operation (FUZZ_EXAMPLES, default 8; about two minutes on a 2-core machine). The server and the database
# are removed at the end, whatever happened. `.ci/run` runs this as a step.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV_BIN="${VENV_BIN:-.venv/bin}"
EXAMPLES="${FUZZ_EXAMPLES:-8}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gvi-fuzz.XXXXXX")"
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=gvi_portal.settings.dev
export DATABASE_URL="${FUZZ_DATABASE_URL:-sqlite:///$WORK/fuzz.sqlite3}"
# No Celery broker: tasks run in-process. No throttling: schemathesis sends hundreds of requests a minute.
unset CELERY_BROKER_URL CELERY_RESULT_BACKEND
export API_THROTTLE_RATE="1000000/minute"
export PYTHONUNBUFFERED=1

PORT="$("$VENV_BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"

echo "== database: $DATABASE_URL"
"$VENV_BIN/python" manage.py migrate --noinput >"$WORK/migrate.log"
"$VENV_BIN/python" manage.py seed_demo >"$WORK/seed.log"
TOKEN="$("$VENV_BIN/python" manage.py issue_token polis.integration --days 1 2>/dev/null)"

echo "== serving $BASE (manage.py runserver, log in $WORK/server.log while it runs)"
"$VENV_BIN/python" manage.py runserver "127.0.0.1:$PORT" --noreload >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 60); do
    if "$VENV_BIN/python" -c "import urllib.request, sys; urllib.request.urlopen('$BASE/health/', timeout=2)" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "the server did not start"; exit 1; }
    sleep 1
done

echo "== schemathesis: $EXAMPLES examples per operation"
rc=0
"$VENV_BIN/schemathesis" run "$BASE/api/schema/" \
    --header "Authorization: Bearer $TOKEN" \
    --checks not_a_server_error,response_schema_conformance \
    --phases examples,fuzzing \
    --max-examples "$EXAMPLES" \
    --workers 2 \
    --seed "${FUZZ_SEED:-20261127}" \
    --generation-database none \
    --request-timeout 30 \
    --no-color || rc=$?

if ((rc != 0)); then
    echo "== last lines of the server log"
    grep -E -A30 '^Traceback' "$WORK/server.log" | tail -n 150 || true
fi
exit "$rc"
