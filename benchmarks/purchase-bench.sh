#!/usr/bin/env bash
# Benchmark of user story 1: POST /purchases against the running platform, next to the raw
# PostgreSQL rate of the same transaction (purchase row + outbox row) measured in the same run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
    cat <<'HELP'
Usage: benchmarks/purchase-bench.sh [--duration SECONDS] [--concurrency "16 64"]

Needs './platform up' running, wrk (apt-get install wrk) and pgbench (postgresql-client).
For each concurrency: sustained POST /purchases req/s with p50/p99 latency (wrk, 2 threads),
then the raw PostgreSQL rate of the same transaction at the same concurrency (pgbench, durable
commits, on a scratch database purchases_bench with the service's own schema). Finally the
commit -> acknowledged-on-the-bus p99 from the service's own timer. Targets (DESIGN.md):
service >= 50 % of raw; commit -> bus p99 < 20 ms.
HELP
}

duration=20
levels="16 64"
while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage && exit 0 ;;
    --duration) duration=$2 && shift ;;
    --concurrency) levels=$2 && shift ;;
    *) usage >&2 && exit 2 ;;
    esac
    shift
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install postgresql-client" >&2; exit 1; }
SERVICE=${PURCHASE_URL:-http://127.0.0.1:8081}
curl -fsS -o /dev/null "$SERVICE/q/health/ready" || { echo "purchase-service is not ready at $SERVICE: run ./platform up" >&2; exit 1; }
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}

# The raw limit: the same two rows per transaction, on the same schema, no service in between.
psql -q -d postgres -c "DROP DATABASE IF EXISTS purchases_bench" -c "CREATE DATABASE purchases_bench"
psql -q -d purchases_bench -f "$ROOT/purchase-service/src/main/resources/db/migration/V1__purchases.sql" \
    -f "$ROOT/shared-events/src/main/resources/db/outbox/R__customer_event_outbox.sql"
payload=$(printf '{"eventId":"%s","eventType":"purchase","userId":"bench-user","productId":"bench-product","occurredAt":"2026-11-25T10:00:00.000Z","source":"purchase-service","schemaVersion":1,"data":{"purchaseId":"%s","quantity":2,"unitPrice":19.99,"totalPrice":39.98,"currency":"EUR","email":"bench-user@example.com"}}' \
    "$(cat /proc/sys/kernel/random/uuid)" "$(cat /proc/sys/kernel/random/uuid)")
script=$(mktemp)
trap 'rm -f "$script"' EXIT
cat >"$script" <<SQL
BEGIN;
INSERT INTO purchase (id, user_id, product_id, quantity, unit_price, total_price, currency, created_at, event_id)
  VALUES (gen_random_uuid(), 'bench-user', 'bench-product', 2, 19.99, 39.98, 'EUR', now(), gen_random_uuid());
INSERT INTO customer_event_outbox (event_id, event_type, user_id, slot, payload)
  VALUES (gen_random_uuid(), 'purchase', 'bench-user', 0, '$payload');
COMMIT;
SQL

export BENCH_TOKEN
BENCH_TOKEN=$("$ROOT/platform" token bench-user --ttl 7200)
printf '\n%-12s %12s %9s %9s %14s %8s\n' concurrency "service/s" "p50 ms" "p99 ms" "raw PG tx/s" ratio
for c in $levels; do
    # Warm the JIT and the pools, then measure.
    wrk -t2 -c"$c" -d5s -s "$ROOT/benchmarks/purchase-post.lua" "$SERVICE/api/purchases/v1/purchases" >/dev/null
    result=$(wrk -t2 -c"$c" -d"${duration}s" -s "$ROOT/benchmarks/purchase-post.lua" \
        "$SERVICE/api/purchases/v1/purchases" | grep '^RESULT')
    rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$result")
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$result")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$result")
    non2xx=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$result")
    raw=$(pgbench -n -c "$c" -j 2 -T "$duration" -f "$script" purchases_bench 2>/dev/null |
        sed -nE 's/^tps = ([0-9.]+).*/\1/p')
    ratio=$(awk -v s="$rps" -v r="$raw" 'BEGIN { printf "%.0f%%", 100 * s / r }')
    printf '%-12s %12.0f %9.2f %9.2f %14.0f %8s\n' "$c" "$rps" "$p50" "$p99" "$raw" "$ratio"
    [[ $non2xx == 0 ]] || echo "  warning: $non2xx responses were not 2xx"
done

metrics=$(curl -fsS "$SERVICE/q/metrics")
p99_bus=$(grep -E '^bus_outbox_commit_to_ack_seconds\{.*quantile="0.99"' <<<"$metrics" | awk '{ printf "%.2f", $2 * 1000 }')
backlog=$(grep -E '^bus_outbox_backlog' <<<"$metrics" | awk '{ print $2 }')
printf '\ncommit -> on the bus p99: %s ms (target < 20 ms; service timer over the last 2 minutes)\n' "$p99_bus"
printf 'outbox backlog at the end: %s\n' "$backlog"
psql -q -d postgres -c "DROP DATABASE IF EXISTS purchases_bench"
