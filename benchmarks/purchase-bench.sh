#!/usr/bin/env bash
# Benchmark of user story 1: POST /purchases against the running platform, next to the raw
# PostgreSQL rate of the same transaction (purchase row + outbox row) measured in the same run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

usage() {
    cat <<'HELP'
Usage: benchmarks/purchase-bench.sh [--duration SECONDS] [--concurrency "2 16 64"] [--rate 1000]

Needs './platform up' running, wrk (apt-get install wrk) and pgbench (postgresql-client).
For each concurrency: sustained POST /purchases req/s with p50/p99 latency (wrk, 2 threads),
then the raw PostgreSQL rate of the same transaction at the same concurrency (pgbench, durable
commits, on a scratch database purchases_bench with the service's own schema), and the
commit -> acknowledged-on-the-bus p50/p99 of that phase, read from the outbox rows themselves.
Last, a phase paced at --rate requests/s (16 connections) for commit -> bus at a fixed load.
Targets (DESIGN.md): service >= 50 % of raw; commit -> bus p99 < 20 ms.
HELP
}

duration=20
levels="2 16 64"
rate=1000
while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage && exit 0 ;;
    --duration) duration=$2 && shift ;;
    --concurrency) levels=$2 && shift ;;
    --rate) rate=$2 && shift ;;
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
cat >"$script" <<SQL
\\set user random(1, 200)
BEGIN;
INSERT INTO purchase (id, user_id, product_id, quantity, unit_price, total_price, currency, created_at, event_id)
  VALUES (gen_random_uuid(), 'bench-user-' || :user, 'bench-product', 2, 19.99, 39.98, 'EUR', now(), gen_random_uuid());
INSERT INTO customer_event_outbox (event_id, event_type, user_id, slot, payload)
  VALUES (gen_random_uuid(), 'purchase', 'bench-user-' || :user, :user % 16, '$payload');
COMMIT;
SQL

# 200 customers; the raw run spreads its rows over as many.
export BENCH_TOKENS
BENCH_TOKENS=$(mktemp)
trap 'rm -f "$script" "$BENCH_TOKENS"' EXIT
for i in $(seq 1 200); do
    "$ROOT/platform" token "bench-user-$i" --ttl 7200 >>"$BENCH_TOKENS"
done
# commit -> on the bus, per phase, from the outbox itself: created_at is stamped at the insert
# (just before the commit), published_at once the broker has acknowledged (an upper bound).
bus_latency() {
    psql -d "${PURCHASES_DB:-purchases}" -tA -F ' ' -c "
        SELECT round(extract(epoch FROM percentile_cont(0.5) WITHIN GROUP (ORDER BY published_at - created_at)) * 1000, 1),
               round(extract(epoch FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY published_at - created_at)) * 1000, 1)
        FROM customer_event_outbox WHERE created_at >= '$1' AND published_at IS NOT NULL"
}

printf '\n%-12s %12s %9s %9s %14s %8s %14s\n' concurrency "service/s" "p50 ms" "p99 ms" "raw PG tx/s" ratio "bus p50/p99 ms"
for c in $levels; do
    # Warm the JIT and the pools, then measure.
    wrk -t2 -c"$c" -d5s -s "$ROOT/benchmarks/purchase-post.lua" "$SERVICE/api/purchases/v1/purchases" >/dev/null
    since=$(psql -d "${PURCHASES_DB:-purchases}" -tAc "SELECT clock_timestamp()")
    result=$(wrk -t2 -c"$c" -d"${duration}s" -s "$ROOT/benchmarks/purchase-post.lua" \
        "$SERVICE/api/purchases/v1/purchases" | grep '^RESULT' || true)
    [[ -n $result ]] || { echo "wrk gave no result at concurrency $c" >&2; exit 1; }
    rps=$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$result")
    p50=$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$result")
    p99=$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$result")
    non2xx=$(sed -E 's/.*non2xx=([0-9]+).*/\1/' <<<"$result")
    read -r bus_p50 bus_p99 <<<"$(bus_latency "$since")"
    raw=$(pgbench -n -c "$c" -j 2 -T "$duration" -f "$script" purchases_bench | sed -nE 's/^tps = ([0-9.]+).*/\1/p')
    [[ -n $raw ]] || { echo "pgbench gave no result at concurrency $c (max_connections?)" >&2; exit 1; }
    ratio=$(awk -v s="$rps" -v r="$raw" 'BEGIN { printf "%.0f%%", 100 * s / r }')
    printf '%-12s %12.0f %9.2f %9.2f %14.0f %8s %14s\n' "$c" "$rps" "$p50" "$p99" "$raw" "$ratio" "$bus_p50/$bus_p99"
    [[ $non2xx == 0 ]] || echo "  warning: $non2xx responses were not 2xx"
done

# The latency target is stated at 1,000 events/s: pace 16 connections to about that rate.
since=$(psql -d "${PURCHASES_DB:-purchases}" -tAc "SELECT clock_timestamp()")
result=$(BENCH_DELAY_MS=$((16000 / rate)) wrk -t2 -c16 -d"${duration}s" -s "$ROOT/benchmarks/purchase-post.lua" \
    "$SERVICE/api/purchases/v1/purchases" | grep '^RESULT' || true)
read -r bus_p50 bus_p99 <<<"$(bus_latency "$since")"
printf '\npaced at ~%s/s: achieved %s/s, HTTP p99 %s ms, commit -> on the bus p50/p99 %s/%s ms (target p99 < 20 ms)\n' \
    "$rate" "$(sed -E 's/.*rps=([0-9.]+).*/\1/' <<<"$result")" "$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$result")" \
    "$bus_p50" "$bus_p99"

psql -q -d postgres -c "DROP DATABASE IF EXISTS purchases_bench"
