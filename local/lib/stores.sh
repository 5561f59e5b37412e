# PostgreSQL and Redis: the machine's own servers by default; started if installed, else a
# message that says what to install. Sourced, not run.

ensure_postgres() {
    if ! port_open "$PGHOST" "$PGPORT"; then
        if [[ $PGHOST == 127.0.0.1 ]] && command -v pg_ctlcluster >/dev/null; then
            info "starting the local PostgreSQL cluster"
            pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -n 1)" main start ||
                die "could not start PostgreSQL"
            wait_until 30 PostgreSQL port_open "$PGHOST" "$PGPORT" || die "PostgreSQL did not start"
        else
            die "no PostgreSQL at $PGHOST:$PGPORT: install it (apt-get install postgresql) or set PGHOST/PGPORT"
        fi
    fi
    command -v psql >/dev/null || die "psql is missing: apt-get install postgresql-client"
}

# create_database NAME: idempotent.
create_database() {
    local exists
    exists=$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'") ||
        die "could not log in to PostgreSQL at ${PGHOST:-127.0.0.1}:${PGPORT:-5432} as ${PGUSER:-postgres}: set PGUSER and PGPASSWORD to a login that may create databases, or let that user in without a password from 127.0.0.1 (trust in pg_hba.conf)"
    if [[ $exists != 1 ]]; then
        psql -d postgres -qc "CREATE DATABASE \"$1\"" && info "created database $1"
    fi
}

ensure_redis() {
    port_open "$REDIS_HOST" "$REDIS_PORT" && return 0
    if [[ $REDIS_HOST == 127.0.0.1 ]] && command -v redis-server >/dev/null; then
        info "starting a local Redis"
        redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no ||
            die "could not start Redis"
        wait_until 30 Redis port_open "$REDIS_HOST" "$REDIS_PORT" || die "Redis did not start"
    else
        die "no Redis at $REDIS_HOST:$REDIS_PORT: install it (apt-get install redis-server) or set REDIS_HOST/REDIS_PORT"
    fi
}
