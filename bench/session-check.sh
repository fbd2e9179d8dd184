#!/usr/bin/env bash
# What the session-liveness check costs on the hot path: autocannon on GET /api/v1/auth/me
# against a built app (dist/), once per SESSION_CHECK_CACHE_MS value given (default: 2000 0).
# Usage: bench/session-check.sh [app-dir] [cache-ms ...]   (docs/sessions.md has the figures)
# Env: BENCH_PORT (41500), BENCH_DATABASE_URL (…/helpdesk_bench_sessions), DURATION (10), CONNECTIONS (10)
set -euo pipefail
APP_DIR=${1:-$(cd "$(dirname "$0")/.." && pwd)}
shift || true
CACHES=("${@:-2000 0}")
PORT=${BENCH_PORT:-41500}
DB=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/helpdesk_bench_sessions}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NODE=$ROOT/node_modules/.bin/node
for cache in ${CACHES[@]}; do
  (cd "$APP_DIR" && NODE_ENV=production APP_ROLE=api PORT=$PORT DATABASE_URL=$DB \
    REDIS_PREFIX=bench_sessions JWT_SECRET=bench-jwt-secret-that-is-long-enough-0123 \
    AUDIT_HMAC_KEY=bench-audit-key-that-is-long-enough-01234 WEBHOOK_SECRET_KEY=bench-webhook-key-long-enough-0123456 \
    PUBLIC_URL=http://localhost ADMIN_EMAIL=bench@example.test ADMIN_PASSWORD=bench-password-123 \
    PUBLIC_RATE_LIMIT_PER_MINUTE=0 LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_HOUR=0 LOG_LEVEL=warn \
    SESSION_CHECK_CACHE_MS=$cache "$NODE" dist/src/main.js) > /tmp/bench-session-app.log 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null && break; sleep 0.5; done
  token=$(curl -sf -H 'content-type: application/json' \
    -d '{"email":"bench@example.test","password":"bench-password-123"}' \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | "$NODE" -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')
  "$ROOT/node_modules/.bin/autocannon" -d "${DURATION:-10}" -c "${CONNECTIONS:-10}" \
    -H "authorization=Bearer $token" "http://127.0.0.1:$PORT/api/v1/auth/me" 2>&1 \
    | grep -E 'Latency|Req/Sec|requests in' | sed "s|^|[$(basename "$APP_DIR") cache=$cache] |"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
