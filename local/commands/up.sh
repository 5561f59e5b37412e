#!/usr/bin/env bash
# ./platform up: the whole platform on this machine, each part its own process.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/local/lib/services.sh"
source "$ROOT/local/lib/stores.sh"
source "$ROOT/local/lib/keys.sh"
source "$ROOT/local/lib/smtp.sh"
source "$ROOT/local/lib/zipkin.sh"

usage() {
    cat <<'HELP'
Usage: ./platform up [--build] [--crm-v2] [--tracing] [--secure] [--brokers N]

Starts the local platform: a real Kafka broker (KRaft) with the bus topics, a real SMTP
server (GreenMail; what it received at http://127.0.0.1:8025/api/user), checks PostgreSQL
and Redis and creates each service's database, then starts every service
as its own process and waits for its readiness check. Running it twice is harmless.

  --build   rebuild all modules first (otherwise only missing artefacts are built)
  --crm-v2  also start a second CRM (group crm-v2, database crm_v2, port 8092) that
            replays the whole bus from the beginning (README: "Replay history")
  --tracing also start a trace viewer (Zipkin, http://127.0.0.1:9411/zipkin/) and have
            every service send it its spans: one trace per event (README: "Tracing");
            services already running keep their settings ('./platform down' them first)
  --secure  a secured broker (on a fresh .platform/kafka; it stays secured): TLS with a CA made
            here by keytool, SCRAM-SHA-512, and one user per KafkaUser manifest in k8s/ with
            exactly its ACLs; every service and './platform bus' connect as their own user
            (README: "A secured bus")
  --brokers N  a KRaft cluster of N nodes on loopback (on a fresh .platform/kafka): kafka-1 on
            KAFKA_PORT, kafka-2 on KAFKA_PORT+2, ...; topics on 3 replicas, min ISR 2
            (README: "More than one broker")

With KAFKA_BOOTSTRAP_SERVERS set, up starts no broker: it ensures the topics on that cluster and
points every service at it (its security settings, if any, from the same KAFKA_* variables).

Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), SMTP_PORT (3025),
SMTP_API_PORT (8025), ZIPKIN_PORT (9411), PGHOST/PGPORT/PGUSER,
REDIS_HOST/REDIS_PORT, PLATFORM_HOME (./.platform).
HELP
}

build=false
crm_v2=false
tracing=false
secure=false
brokers=""
while [[ $# -gt 0 ]]; do
    arg=$1
    shift
    case $arg in
    -h | --help) usage && exit 0 ;;
    --build) build=true ;;
    --crm-v2) crm_v2=true ;;
    --tracing) tracing=true ;;
    --secure) secure=true ;;
    --brokers)
        brokers=${1:-}
        shift || true
        [[ $brokers =~ ^[1-9]$ ]] || die "--brokers takes a number from 1 to 9"
        ;;
    *) usage >&2 && exit 2 ;;
    esac
done

KAFKA_PORT=$(kafka_port "$PLATFORM_HOME")
if [[ $build == true ]]; then
    info "building the platform ..."
    (cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
else
    # Only what is missing (e.g. a subscriber just generated): the jars of running services are
    # left alone.
    missing=()
    for dir in $(service_dirs); do
        [[ -f $(service_jar "$dir") ]] || missing+=("$(basename "$dir")")
    done
    build_modules false local/kafka local/smtp local/zipkin bus-cli
    if ((${#missing[@]} > 0)); then
        info "building ${missing[*]} ..."
        (cd "$ROOT" && mvn -B -q -DskipTests -pl "$(IFS=,; echo "${missing[*]}")" -am package) ||
            die "build failed"
    fi
fi

ZIPKIN_PORT=${ZIPKIN_PORT:-9411}
# The viewer takes longest to start: it starts first and is awaited just before the services.
[[ $tracing == true ]] && zipkin_start "$PLATFORM_HOME" "$ZIPKIN_PORT"
ensure_dev_keys
ensure_postgres
ensure_redis
for db in $(declared SERVICE_DATABASE); do
    create_database "$db"
done
if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
    # An existing cluster: no broker of our own; its settings come with the caller's KAFKA_* env.
    [[ $secure == false && -z $brokers ]] || die "--secure and --brokers make a local Kafka; with KAFKA_BOOTSTRAP_SERVERS the cluster is yours"
    KAFKA_BOOTSTRAP=$KAFKA_BOOTSTRAP_SERVERS
    bus_cli ready --bootstrap-server "$KAFKA_BOOTSTRAP" --timeout PT30S || die "no Kafka answers at $KAFKA_BOOTSTRAP"
    info "kafka: using the cluster at $KAFKA_BOOTSTRAP"
else
    kafka_start "$PLATFORM_HOME" "$KAFKA_PORT" "${KAFKA_CONTROLLER_PORT:-9093}" "$secure" "$brokers"
fi
kafka_topics "$KAFKA_BOOTSTRAP"
kafka_users "$PLATFORM_HOME" "$KAFKA_BOOTSTRAP"
smtp_start "$PLATFORM_HOME" "${SMTP_PORT:-3025}" "${SMTP_API_PORT:-8025}"
if [[ $tracing == true ]]; then
    zipkin_await "$PLATFORM_HOME" "$ZIPKIN_PORT"
    zipkin_exporting "$ZIPKIN_PORT"
fi
for dir in $(service_dirs); do
    start_service "$PLATFORM_HOME" "$dir"
done
if [[ $crm_v2 == true ]]; then
    create_database crm_v2
    start_service "$PLATFORM_HOME" "$ROOT/crm-subscriber" crm-v2 "${CRM_V2_PORT:-8092}" \
        CRM_GROUP=crm-v2 CRM_DB=crm_v2 CRM_SUBSCRIBER=crm-v2
fi
info "platform up: './platform status' shows it, './platform down' stops it"
