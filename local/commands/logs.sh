#!/usr/bin/env bash
# ./platform logs NAME: the log of one component.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"

usage() {
    cat <<'HELP'
Usage: ./platform logs NAME [-f]

Prints the log of a component started by './platform up' (kafka or a service name);
-f follows it. Logs live in .platform/logs.
HELP
}
[[ ${1:-} == -h || ${1:-} == --help ]] && usage && exit 0
[[ $# -ge 1 ]] || { usage >&2 && exit 2; }
log=$PLATFORM_HOME/logs/$1.log
if [[ ! -f $log ]]; then
    known=$(ls "$PLATFORM_HOME/logs" 2>/dev/null | sed 's/\.log$//' | tr '\n' ' ')
    die "no log for '$1' (known: ${known:-none yet})"
fi
if [[ ${2:-} == -f ]]; then
    exec tail -n 100 -f "$log"
fi
exec cat "$log"
