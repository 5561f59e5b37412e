#!/usr/bin/env bash
# ./platform token USER [ROLE...]: a dev-only JWT for trying the APIs with curl.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/local/lib/keys.sh"

usage() {
    cat <<'HELP'
Usage: ./platform token USER [ROLE...] [--email ADDRESS] [--ttl SECONDS]
       ./platform token --publisher SYSTEM --types TYPE[,TYPE...] [--ttl SECONDS]

Prints a JWT for the local platform: sub = USER, email = USER@example.com unless
--email is given, the ROLEs as groups (e.g. purchase-admin, crm-agent, analyst),
valid for --ttl seconds (3600). It is signed by a key generated on this machine
(.platform/keys, never committed) that only './platform up' services trust.

  TOKEN=$(./platform token alice)
  curl -H "Authorization: Bearer $TOKEN" http://127.0.0.1:8081/api/purchases/v1/purchases

--publisher mints the token of a publishing system for the event gateway (port 8086):
sub = SYSTEM (the source of every event it publishes), role event-publisher, and the
event_types claim listing the only types it may publish.

  TOKEN=$(./platform token --publisher accounts --types account-created)
HELP
}

roles=()
email=
ttl=3600
user=
publisher=false
types=
while [[ $# -gt 0 ]]; do
    case $1 in
    -h | --help) usage && exit 0 ;;
    --email) email=$2 && shift ;;
    --ttl) ttl=$2 && shift ;;
    --publisher) user=$2 && roles+=(event-publisher) && publisher=true && shift ;;
    --types) types=$2 && shift ;;
    -*) usage >&2 && exit 2 ;;
    *) if [[ -z $user ]]; then user=$1; else roles+=("$1"); fi ;;
    esac
    shift
done
[[ -n $user ]] || { usage >&2 && exit 2; }
[[ $user =~ ^[A-Za-z0-9._:@-]{1,128}$ ]] || die "user must be 1-128 letters, digits or . _ : @ -"
[[ $ttl =~ ^[0-9]+$ ]] || die "--ttl must be a number of seconds"
if [[ $publisher == true ]]; then
    [[ $types =~ ^[a-z][a-z0-9-]*(,[a-z][a-z0-9-]*)*$ ]] ||
        die "--types must list lower-kebab event types, comma-separated (e.g. account-created,product-use)"
    EXTRA_CLAIMS="\"event_types\":[\"${types//,/\",\"}\"]"
elif [[ -n $types ]]; then
    die "--types goes with --publisher"
fi
ensure_dev_keys >&2
mint_token "$user" "${email:-$user@example.com}" "$ttl" "${roles[@]}"
