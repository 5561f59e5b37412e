#!/usr/bin/env bash
# ./platform bus ...: the bus admin CLI against the local broker.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/local/lib/kafka.sh"
build_modules false local/kafka bus-cli >&2
export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-$(kafka_bootstrap "$PLATFORM_HOME" "$(kafka_port "$PLATFORM_HOME")")}
[[ $# -eq 0 ]] && set -- --help
# On a secured broker, as the operators' own Kafka user: bus-cli's KafkaUser and its ACLs.
kafka_cli_user "$PLATFORM_HOME" bus-cli
bus_cli "$@"
