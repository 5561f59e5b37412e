#!/usr/bin/env bash
# ./platform status: each component, its port and its health.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/local/lib/services.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    cat <<'HELP'
Usage: ./platform status

Shows each component of the local platform with its address, pid and health:
the broker (and its topics), PostgreSQL, Redis, the SMTP server, the trace viewer
when up --tracing started it, and every service. Exits 1 when a
component that up starts is not healthy.
HELP
    exit 0
fi

KAFKA_PORT=$(kafka_port "$PLATFORM_HOME")
healthy=true
row() { printf '%-22s %-24s %-8s %s\n' "$@"; }
pid_of() { running "$PLATFORM_HOME" "$1" && cat "$(pid_file "$PLATFORM_HOME" "$1")" || echo -; }

row COMPONENT ADDRESS PID HEALTH
kafka_cli_user "$PLATFORM_HOME" bus-cli
# Each node of the local Kafka (kafka, or kafka-1 ... kafka-N of a cluster), or the cluster of
# KAFKA_BOOTSTRAP_SERVERS; a node is UP when it listens and the cluster answers.
bootstrap=${KAFKA_BOOTSTRAP_SERVERS:-$(kafka_bootstrap "$PLATFORM_HOME" "$KAFKA_PORT")}
cluster=DOWN
[[ -f $BUS_CLI_JAR ]] && bus_cli ready --bootstrap-server "$bootstrap" --timeout PT3S >/dev/null 2>&1 && cluster=UP
if [[ -n ${KAFKA_BOOTSTRAP_SERVERS:-} ]]; then
    row kafka "$bootstrap" - "$cluster"
    [[ $cluster == UP ]] || healthy=false
else
    node_port=$KAFKA_PORT
    for node in $(kafka_nodes "$PLATFORM_HOME"); do
        health=DOWN
        [[ $cluster == UP ]] && port_open 127.0.0.1 "$node_port" && health=UP
        row "$node" "127.0.0.1:$node_port" "$(pid_of "$node")" "$health"
        [[ $health == UP ]] || healthy=false
        node_port=$((node_port + 2))
    done
fi
port_open "$PGHOST" "$PGPORT" && pg=UP || { pg=DOWN && healthy=false; }
row postgresql "$PGHOST:$PGPORT" - "$pg"
port_open "$REDIS_HOST" "$REDIS_PORT" && redis=UP || { redis=DOWN && healthy=false; }
row redis "$REDIS_HOST:$REDIS_PORT" - "$redis"
smtp_api=${SMTP_API_PORT:-8025}
curl -fsS -o /dev/null "http://127.0.0.1:$smtp_api/api/service/readiness" 2>/dev/null && smtp=UP || { smtp=DOWN && healthy=false; }
row smtp "127.0.0.1:${SMTP_PORT:-3025} (API :$smtp_api)" "$(pid_of smtp)" "$smtp"
# The trace viewer (./platform up --tracing) is shown while it runs.
if running "$PLATFORM_HOME" zipkin; then
    zipkin_port=${ZIPKIN_PORT:-9411}
    curl -fsS -o /dev/null "http://127.0.0.1:$zipkin_port/health" 2>/dev/null && health=UP || health=DOWN
    row zipkin "http://127.0.0.1:$zipkin_port/zipkin/" "$(pid_of zipkin)" "$health"
fi
for dir in $(service_dirs); do
    name=$(service_field "$dir" SERVICE_NAME)
    port=$(service_field "$dir" SERVICE_PORT)
    if service_ready "$port" 2>/dev/null; then
        row "$name" "http://127.0.0.1:$port" "$(pid_of "$name")" UP
    else
        row "$name" "http://127.0.0.1:$port" "$(pid_of "$name")" DOWN
        healthy=false
    fi
done
# A second CRM (./platform up --crm-v2) is shown while it runs.
if running "$PLATFORM_HOME" crm-v2; then
    port=${CRM_V2_PORT:-8092}
    service_ready "$port" 2>/dev/null && health=UP || health=DOWN
    row crm-v2 "http://127.0.0.1:$port" "$(pid_of crm-v2)" "$health"
fi
if [[ $cluster == UP ]]; then
    echo
    bus_cli topics list --bootstrap-server "$bootstrap" || true
fi
[[ $healthy == true ]]
