# Dev-only JWT signing keys, generated on this machine and never committed (.platform/keys).
# Sourced, not run.

DEV_KEYS=$PLATFORM_HOME/keys

ensure_dev_keys() {
    if [[ ! -f $DEV_KEYS/dev-private.pem ]]; then
        command -v openssl >/dev/null || die "openssl is missing: apt-get install openssl"
        mkdir -p "$DEV_KEYS"
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DEV_KEYS/dev-private.pem" 2>/dev/null
        openssl pkey -in "$DEV_KEYS/dev-private.pem" -pubout -out "$DEV_KEYS/dev-public.pem"
        chmod 600 "$DEV_KEYS/dev-private.pem"
        info "generated dev-only JWT keys in $DEV_KEYS"
    fi
}

base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# mint_token USER EMAIL TTL_SECONDS ROLES...: an RS256 JWT the services accept in dev.
# EXTRA_CLAIMS, when set, is more JSON members for the payload (e.g. "event_types":["refund"]).
mint_token() {
    local user=$1 email=$2 ttl=$3
    shift 3
    local now groups header payload signature
    now=$(date +%s)
    groups=$(printf '"%s",' "$@")
    groups="[${groups%,}]"
    [[ $# -eq 0 ]] && groups="[]"
    header=$(printf '{"alg":"RS256","typ":"JWT","kid":"dev"}' | base64url)
    payload=$(printf '{"iss":"%s","aud":"%s","sub":"%s","upn":"%s","email":"%s","groups":%s,"iat":%d,"exp":%d,"jti":"%s"%s}' \
        "${JWT_ISSUER:-customer-event-bus}" "${JWT_AUDIENCE:-customer-event-bus}" "$user" "$user" "$email" \
        "$groups" "$now" "$((now + ttl))" "$(cat /proc/sys/kernel/random/uuid)" "${EXTRA_CLAIMS:+,$EXTRA_CLAIMS}" | base64url)
    signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$DEV_KEYS/dev-private.pem" -binary | base64url)
    printf '%s.%s.%s\n' "$header" "$payload" "$signature"
}
