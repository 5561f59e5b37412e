#!/usr/bin/env bash
# ./platform new-subscriber: a new subscriber deployment from local/templates/subscriber.
set -euo pipefail
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/local/lib/services.sh"

usage() {
    cat <<'HELP'
Usage: ./platform new-subscriber NAME --types T1[,T2...] [--from beginning|now] [--owner TEAM] [--no-format]

Creates NAME-subscriber/, a complete Quarkus subscriber on the subscriber toolkit of bus-runtime:
its own consumer group (NAME-subscriber), the chosen event types (filtered on the ce_type
header, '*' for all), poison records to customer-events.NAME.dlq, standard metrics and
readiness, a sample handler with its REST view (/api/NAME/v1/received), a test against
the real broker, and its Kubernetes manifests (NAME-subscriber/k8s: Deployment, ConfigMap,
KafkaUser with ACLs for its own group, KEDA scaler, NetworkPolicy, DLQ topic, ...).
Registers it as a module of the build, with the local platform (its port and DLQ topic)
in k8s/base/kustomization.yaml and in the overlays' images, and gives the operators' tools
(bus-cli, bus-console KafkaUsers) Delete on its DLQ, for purges; no other service's file is
touched.

  --from beginning   a new group reads the whole history first (default: now, i.e.
                     only events published from its first start on)
  --owner TEAM       the team that runs it, in its description on the subscriber catalog
                     (customer-events.subscribers; default: NAME-team)

Then: 'mvn -pl NAME-subscriber -am package -DskipTests' and './platform up' (starts what
is not running, nothing else is restarted). NAME: lower-kebab, 2-30 characters.
HELP
}

name=${1:-}
[[ $name == -h || $name == --help ]] && usage && exit 0
[[ -n $name ]] || { usage >&2; exit 2; }
shift
types=""
from=now
owner=
format=true
while [[ $# -gt 0 ]]; do
    case $1 in
    --types) types=${2:-} && shift ;;
    --from) from=${2:-} && shift ;;
    --owner) owner=${2:-} && shift ;;
    --no-format) format=false ;;
    -h | --help) usage && exit 0 ;;
    *) usage >&2 && exit 2 ;;
    esac
    shift
done

# Each part starts with a letter: the parts make the Java class name (loyalty-2 would make Loyalty-2).
[[ $name =~ ^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$ && ${#name} -ge 2 && ${#name} -le 30 ]] ||
    die "'$name' is not a valid name: lower-kebab (a-z, 0-9, single dashes, each part starting with a letter), 2-30 characters"
[[ $name != *-subscriber ]] || die "'$name': leave out '-subscriber', it is added"
module=$name-subscriber
for taken in $(declared SERVICE_NAME); do
    [[ $taken != "$module" ]] || die "a service named $module exists already"
done
[[ ! -e $ROOT/$module ]] || die "$module/ exists already"
# The parts joined make its Java package (a keyword cannot be one); crm-v2 is the second CRM's
# subscriber name (its DLQ customer-events.crm-v2.dlq).
case $name in purchase | shared | bus | system | local | platform | crm-v2) die "'$name' is reserved" ;; esac
case ${name//-/} in
abstract | assert | boolean | break | byte | case | catch | char | class | const | continue | default | do | double | else | enum | extends | final | finally | float | for | goto | if | implements | import | instanceof | int | interface | long | native | new | package | private | protected | public | return | short | static | strictfp | super | switch | synchronized | this | throw | throws | transient | try | void | volatile | while | true | false | null | var | record | yield)
    die "'$name' would make the Java package io.customerbus.${name//-/}, a keyword: choose another name" ;;
esac
owner=${owner:-$name-team}
[[ $owner =~ ^[A-Za-z0-9._-]{1,64}$ ]] || die "--owner is a team name: letters, digits, . _ -"
[[ -n $types ]] || die "--types is required, e.g. --types purchase,refund (or '*' for all)"
if [[ $types != "*" ]]; then
    IFS=, read -r -a list <<<"$types"
    for type in "${list[@]}"; do
        [[ $type =~ ^[a-z][a-z0-9]*(-[a-z0-9]+)*$ ]] || die "'$type' is not an event type (lower-kebab)"
    done
fi
case $from in
beginning) reset=earliest ;;
now) reset=latest ;;
*) die "--from is 'beginning' or 'now', not '$from'" ;;
esac

# The first free port from 8100 that no registered service uses.
port=8100
while [[ " $(declared SERVICE_PORT) " == *" $port "* ]]; do
    port=$((port + 1))
done
class=$(sed -E 's/(^|-)([a-z])/\U\2/g' <<<"$name")
package=${name//-/}
prop=${package}
env_prefix=$(tr 'a-z-' 'A-Z_' <<<"$name")
# The image tag Jib gives it: the project's version, the first <version> of the root pom.
version=$(sed -n 's:^ *<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
kustomization=$ROOT/k8s/base/kustomization.yaml
[[ -f $kustomization ]] || die "k8s/base/kustomization.yaml is missing"

template=$ROOT/local/templates/subscriber
(cd "$template" && find . -type f) | while read -r file; do
    target=$ROOT/$module/${file#./}
    target=${target//__PKG__/$package}
    target=${target//__CLASS__/$class}
    mkdir -p "$(dirname "$target")"
    sed -e "s/__MODULE__/$module/g" -e "s/__NAME__/$name/g" -e "s/__CLASS__/$class/g" \
        -e "s/__PKG__/$package/g" -e "s/__PROP__/$prop/g" -e "s/__ENV__/$env_prefix/g" \
        -e "s/__TYPES__/${types//\*/\\*}/g" -e "s/__RESET__/$reset/g" -e "s/__PORT__/$port/g" \
        -e "s/__VERSION__/$version/g" -e "s/__OWNER__/$owner/g" \
        "$template/$file" >"$target"
done
# A module of the build, before the system tests (which use every packaged service).
sed -i "s#^\(\s*\)<module>system-tests</module>#\1<module>$module</module>\n&#" "$ROOT/pom.xml"
grep -q "<module>$module</module>" "$ROOT/pom.xml" || die "could not register $module in pom.xml"
# Deployed with the platform: the base lists every service's own k8s/ directory.
last=$(grep -n '^ *- \.\./\.\./[^/]*/k8s *$' "$kustomization" | tail -1 | cut -d: -f1)
[[ -n $last ]] || die "no service directory listed in $kustomization"
sed -i "${last}a\\  - ../../$module/k8s" "$kustomization"
grep -q "^  - \.\./\.\./$module/k8s$" "$kustomization" || die "could not add $module to $kustomization"
# The operators' tools (CLI, console) may purge its dead letters, as every other subscriber's.
for user in "$ROOT"/bus-cli/k8s/kafkauser.yaml "$ROOT"/bus-console/k8s/kafkauser.yaml; do
    marker="# ./platform new-subscriber adds each generated subscriber's DLQ above this line."
    grep -q "$marker" "$user" || die "no place for $module's DLQ in $user"
    awk -v dlq="customer-events.$name.dlq" -v marker="$marker" 'index($0, marker) {
            print "      - resource:"
            print "          type: topic"
            print "          name: " dlq
            print "          patternType: literal"
            print "        operations:"
            print "          - Delete"
        }
        { print }' "$user" >"$user.new" && mv "$user.new" "$user"
done
# Each overlay that points images at a registry points this one there too (as purchase-service).
for overlay in "$ROOT"/k8s/overlays/*/kustomization.yaml; do
    grep -q 'newName: .*/customer-bus/purchase-service$' "$overlay" || continue
    awk -v module="$module" '{ print }
        /newName: .*\/customer-bus\/purchase-service$/ {
            registry = $2; sub("/customer-bus/purchase-service$", "", registry)
            print "  - name: customer-bus/" module
            print "    newName: " registry "/customer-bus/" module
        }' "$overlay" >"$overlay.new" && mv "$overlay.new" "$overlay"
done
if [[ $format == true ]]; then
    (cd "$ROOT" && mvn -B -q spotless:apply -pl "$module") ||
        warn "formatting failed; run 'mvn spotless:apply -pl $module'"
fi
info "created $module/ (group $module, types $types, from $from, port $port)"
info "next: mvn -pl $module -am package -DskipTests && ./platform up"
