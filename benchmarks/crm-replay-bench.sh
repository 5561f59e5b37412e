#!/usr/bin/env bash
# Benchmark of user story 3: a new CRM replays the whole bus into an empty database, next to the
# two physical limits measured in the same run on the same records: Kafka's own consumer
# (ConsumerPerformance, from the broker's jars) and PostgreSQL's COPY of equivalent rows.
set -euo pipefail
source "$(dirname "$0")/../local/lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/stores.sh"
source "$ROOT/local/lib/keys.sh"
source "$ROOT/local/lib/bench.sh"

usage() {
    cat <<'HELP'
Usage: benchmarks/crm-replay-bench.sh [--events 1000000] [--customers 20000] [--keep]

Starts a broker of its own (BENCH_KAFKA_PORT, 29092; data under .platform/bench), publishes
--events synthetic events of every type (bus generate), then measures on those records:
  1. raw Kafka consume rate (org.apache.kafka.tools.ConsumerPerformance, same jars),
  2. raw PostgreSQL COPY rate of as many equivalent crm_event rows (scratch database),
  3. the CRM replaying them all into an empty database (crm_bench, group crm-bench),
     from readiness until its applied-events counter reaches --events.
Target (the project design): CRM >= 50 % of the smaller raw rate. Needs the modules built
(./platform up --build or mvn package) and PostgreSQL; the broker is stopped and its data
deleted at the end unless --keep.
HELP
}

bench_args "$@"

CRM_PORT=${BENCH_CRM_PORT:-8093}
CRM_JAR=$(service_jar "$ROOT/crm-subscriber")
[[ -f $CRM_JAR && -f $BUS_CLI_JAR ]] || die "build first: ./platform up --build (or mvn -DskipTests package)"
ensure_postgres
ensure_dev_keys

cleanup() {
    stop_process "$BENCH_HOME" crm-bench || true
    bench_broker_stop
}
trap cleanup EXIT
bench_broker_with_events

info "raw Kafka consume rate (ConsumerPerformance) ..."
raw_kafka=$(java -Xmx512m -cp "$KAFKA_LIB/*" org.apache.kafka.tools.ConsumerPerformance \
    --bootstrap-server "127.0.0.1:$BENCH_PORT" --topic customer-events --messages "$events" \
    --group "bench-raw-$$" --hide-header 2>/dev/null | tail -n 1)
# CSV: start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms, fetch MB/s, fetch records/s
kafka_rate=$(awk -F', ' '{printf "%d", $10}' <<<"$raw_kafka")
kafka_mb=$(awk -F', ' '{printf "%.1f", $3}' <<<"$raw_kafka")

info "raw PostgreSQL COPY rate of $events equivalent rows ..."
psql -q -d postgres -c "DROP DATABASE IF EXISTS crm_copy_bench" -c "CREATE DATABASE crm_copy_bench"
rows=$(mktemp)
trap 'rm -f "$rows"; cleanup' EXIT
# The CRM's own schema, every migration in order: the same table and indexes the CRM writes.
for migration in $(ls "$ROOT"/crm-subscriber/src/main/resources/db/migration/V*.sql | sort -V); do
    psql -q -d crm_copy_bench -f "$migration"
done
psql -q -d crm_copy_bench \
    -c "\\copy (SELECT gen_random_uuid(), 'synthetic-' || (i % $customers), 'purchase', 'product-' || (i % 500),
               now(), 'bus-generate',
               json_build_object('eventId', gen_random_uuid(), 'eventType', 'purchase',
                   'userId', 'synthetic-' || (i % $customers), 'productId', 'product-' || (i % 500),
                   'occurredAt', now(), 'source', 'bus-generate', 'schemaVersion', 1,
                   'data', json_build_object('purchaseId', gen_random_uuid(),
                       'email', 'synthetic-' || (i % $customers) || '@example.com', 'quantity', 2,
                       'unitPrice', 19.99, 'totalPrice', 39.98, 'currency', 'EUR')),
               now()
             FROM generate_series(1, $events) i) TO '$rows'"
copy_started=$(date +%s.%N)
psql -q -d crm_copy_bench -c "\\copy crm_event FROM '$rows'"
copy_seconds=$(echo "$(date +%s.%N) - $copy_started" | bc -l)
copy_rate=$(echo "$events / $copy_seconds" | bc)
psql -q -d postgres -c "DROP DATABASE crm_copy_bench"

info "CRM replay of $events events into an empty database ..."
psql -q -d postgres -c "DROP DATABASE IF EXISTS crm_bench" -c "CREATE DATABASE crm_bench"
start_process "$BENCH_HOME" crm-bench env QUARKUS_HTTP_PORT="$CRM_PORT" \
    KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$BENCH_PORT" PGHOST="$PGHOST" PGPORT="$PGPORT" \
    CRM_DB=crm_bench CRM_GROUP="crm-bench-$$" MP_JWT_VERIFY_PUBLICKEY_LOCATION="$DEV_KEYS/dev-public.pem" \
    java -Xmx${SERVICE_HEAP:-384m} -jar "$CRM_JAR"
applied() {
    curl -fsS "http://127.0.0.1:$CRM_PORT/q/metrics" 2>/dev/null |
        awk '/^bus_events_applied_total/ {printf "%d", $2}'
}
wait_until 90 crm-bench service_ready "$CRM_PORT" || die "the CRM did not start (log $BENCH_HOME/logs/crm-bench.log)"
crm_pid=$(cat "$(pid_file "$BENCH_HOME" crm-bench)")
crm_ticks=$(ticks_of "$crm_pid") pg_ticks=$(postgres_ticks)
replay_started=$(date +%s.%N)
while (($(applied || echo 0) < events)); do
    running "$BENCH_HOME" crm-bench || die "the CRM stopped (log $BENCH_HOME/logs/crm-bench.log)"
    sleep 0.5
done
replay_seconds=$(echo "$(date +%s.%N) - $replay_started" | bc -l)
# CPU per event, the steadiest figure on a busy machine: ticks are 10 ms.
crm_cpu_us=$(((($(ticks_of "$crm_pid") - crm_ticks) * 10000) / events))
pg_cpu_us=$(((($(postgres_ticks) - pg_ticks) * 10000) / events))
crm_rate=$(echo "$events / $replay_seconds" | bc)
# The same from the database: first to last row written (excludes the consumer's start-up).
db_rate=$(psql -d crm_bench -tA -c "SELECT round(count(*) / extract(epoch FROM max(received_at) - min(received_at))) FROM crm_event")
stored=$(psql -d crm_bench -tA -c "SELECT count(*) FROM crm_event")
[[ $stored == "$events" ]] || die "the CRM stored $stored events, expected $events"

limit=$((kafka_rate < copy_rate ? kafka_rate : copy_rate))
printf '\n%-44s %12s\n' "measured on $(nproc) cores, $events events ($kafka_mb MB)" "events/s"
printf '%-44s %12s\n' "raw Kafka consume (ConsumerPerformance)" "$kafka_rate"
printf '%-44s %12s\n' "raw PostgreSQL COPY of crm_event rows" "$copy_rate"
printf '%-44s %12s\n' "CRM replay, ready -> all applied" "$crm_rate"
printf '%-44s %12s\n' "CRM replay, first -> last row written" "$db_rate"
printf '%-44s %11s%%\n' "CRM / smaller raw limit (target >= 50 %)" "$((100 * crm_rate / limit))"
printf '%-44s %12s\n' "CPU per event during the replay, CRM" "$crm_cpu_us µs"
printf '%-44s %12s\n' "CPU per event during the replay, PostgreSQL" "$pg_cpu_us µs"
