#!/usr/bin/env bash
# ./platform down: stops what ./platform up started, and nothing else.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
    cat <<'HELP'
Usage: ./platform down [NAME...]

Stops every process that './platform up' started (tracked by pid under .platform/run),
services first, the broker last. PostgreSQL and Redis are left alone: up did not start
them unless they were down. Data stays in .platform; delete that folder for a clean slate.

With names (e.g. './platform down crm-subscriber'), stops only those deployments;
'./platform up' starts them again.
HELP
    exit 0
fi

if (($# > 0)); then
    for name in "$@"; do
        running "$PLATFORM_HOME" "$name" || die "$name is not running"
        stop_process "$PLATFORM_HOME" "$name"
    done
    exit 0
fi

shopt -s nullglob
for file in "$PLATFORM_HOME"/run/*.pid; do
    name=$(basename "$file" .pid)
    [[ $name == kafka || $name == kafka-* ]] || stop_process "$PLATFORM_HOME" "$name"
done
# The broker(s) last: kafka, or every node of a local cluster (kafka-1 ... kafka-N).
for file in "$PLATFORM_HOME"/run/kafka*.pid; do
    stop_process "$PLATFORM_HOME" "$(basename "$file" .pid)"
done
info "platform down"
