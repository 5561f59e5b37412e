# The local SMTP server: GreenMail standalone from the jar local/smtp fetches. It accepts every
# message (no authentication) and serves what it received on a REST API:
#   GET /api/user/<address>/messages/INBOX/   GET /api/service/readiness   POST /api/mail/purge
# Sourced, not run.

SMTP_JAR=$ROOT/local/smtp/target/lib/greenmail-standalone.jar

# smtp_start HOME SMTP_PORT API_PORT
smtp_start() {
    local home=$1 port=$2 api=$3
    if running "$home" smtp; then
        info "smtp already running (pid $(cat "$(pid_file "$home" smtp)")) on 127.0.0.1:$port"
        return 0
    fi
    [[ -f $SMTP_JAR ]] || die "SMTP server jar missing: run 'mvn -pl local/smtp package'"
    port_open 127.0.0.1 "$port" && die "port $port is taken by something else; set SMTP_PORT"
    port_open 127.0.0.1 "$api" && die "port $api (the SMTP server's API) is taken by something else; set SMTP_API_PORT"
    start_process "$home" smtp java -Xmx128m -Dgreenmail.smtp.hostname=127.0.0.1 \
        -Dgreenmail.smtp.port="$port" -Dgreenmail.api.hostname=127.0.0.1 -Dgreenmail.api.port="$api" \
        -Dgreenmail.auth.disabled -jar "$SMTP_JAR"
    wait_until 30 smtp curl -fsS "http://127.0.0.1:$api/api/service/readiness" || {
        tail -n 20 "$home/logs/smtp.log" >&2
        stop_process "$home" smtp
        die "the SMTP server did not start"
    }
    info "smtp ready on 127.0.0.1:$port (messages: http://127.0.0.1:$api/api/user)"
}
