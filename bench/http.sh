#!/usr/bin/env bash
# The server as the README starts it (`python3 -m elior`), driven with wrk: /health, and one database-backed
# endpoint (GET /api/users?limit=20 as the admin: a token check, a count and a page of users).
#
#   bash bench/http.sh [seconds] [connections]
#
# Rate limits are turned off (RATE_LIMIT_PER_MINUTE=0): one token from one address is the whole load here.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-8}
connections=${2:-16}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ELIOR_DATA_DIR="$work" PORT="$port" RATE_LIMIT_PER_MINUTE=0 BCRYPT_ROUNDS=4 \
       ELIOR_ADMIN_EMAIL=admin@bench.test ELIOR_ADMIN_PASSWORD='bench admin password'
python3 -m elior >"$work/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
token=$(curl -fsS "http://127.0.0.1:$port/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email": "admin@bench.test", "password": "bench admin password"}' \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
curl -fsS -o /dev/null "http://127.0.0.1:$port/api/users?limit=20" -H "Authorization: Bearer $token"

rate() { grep -E 'Requests/sec|99%|Non-2xx' ; }
echo "== GET /health (wrk -t1 -c$connections -d${seconds}s)"
wrk -t1 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/health" | rate
echo "== GET /api/users?limit=20 as admin"
wrk -t1 -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $token" \
  "http://127.0.0.1:$port/api/users?limit=20" | rate
