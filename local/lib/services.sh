# The service registry: every module with a platform.env is a deployment ./platform runs.
# platform.env declares SERVICE_NAME, SERVICE_PORT, SERVICE_DATABASE (and SERVICE_TEST_DATABASE
# for its tests), SERVICE_TOPICS (its own DLQ/retry topics) and SERVICE_ENV (extra env vars). Sourced, not run.

# A service is started with its own Kafka credentials (kafka_client_env) and the dev JWT key
# (DEV_KEYS): whoever starts one needs the broker's functions and the keys' place too.
source "$ROOT/local/lib/kafka.sh"
source "$ROOT/local/lib/keys.sh"

# Prints the module directories that declare a service, in start order.
service_dirs() {
    local file
    for file in "$ROOT"/*/platform.env; do
        [[ -f $file ]] && dirname "$file"
    done
}

# Reads one field of a service declaration.
service_field() {
    (
        # shellcheck disable=SC1091
        source "$1/platform.env"
        eval "printf '%s' \"\${$2:-}\""
    )
}

# declared FIELD: one field of every service declaration, space-separated.
declared() {
    local dir
    for dir in $(service_dirs); do
        service_field "$dir" "$1"
        printf ' '
    done
}

declared_topics() { declared SERVICE_TOPICS; }

service_jar() { printf '%s/target/quarkus-app/quarkus-run.jar' "$1"; }

service_ready() {
    curl -fsS -o /dev/null "http://127.0.0.1:$1/q/health/ready"
}

# Class data sharing (the JDK's dynamic archive): a JVM that maps the classes a service loads,
# parsed and verified once, skips that work at start (docs/performance.md: Time to ready). A deployment's first
# start after a build (or a JDK update) runs with -XX:ArchiveClassesAtExit and writes the classes
# it loaded to its archive when it stops cleanly (~2 s longer to stop); its later starts map that
# archive. The JVM checks each archived class against the jar it would load it from and loads a
# class that differs from the jar, and starts without the archive if it cannot map it: a stale or
# broken archive costs time, never a start. SERVICE_CDS=off starts from the jars alone.
class_archive() { printf '%s/cds/%s.jsa' "$1" "$2"; }

# class_archive_options HOME DIR NAME: the JVM options for the archive of deployment NAME of module
# DIR, one per line. An archive is used when it is whole (it starts with the archive's magic
# number: a JVM killed while writing leaves none) and was written by a run that started after the
# service was built and the JVM installed (the .from file's time: a run that starts before a
# build writes classes of the jars it loaded, not of the new ones).
class_archive_options() {
    local home=$1 dir=$2 name=$3 archive jvm
    [[ ${SERVICE_CDS:-on} == off ]] && return 0
    archive=$(class_archive "$home" "$name")
    jvm=$(dirname "$(readlink -f "$(command -v java)")")/../lib/server/libjvm.so
    if [[ -f $archive.from && $(head -c 4 "$archive" 2>/dev/null | od -An -tx1 | tr -d ' \n') == a8ab0bf0 &&
        -z $(find "$dir/target/quarkus-app" -newer "$archive.from" -print -quit) &&
        -z $(find "$jvm" -cnewer "$archive.from" -print -quit 2>/dev/null) ]]; then
        printf -- '-XX:SharedArchiveFile=%s\n' "$archive"
    else
        mkdir -p "$home/cds"
        rm -f "$archive" "$archive.from"
        touch "$archive.from"
        printf -- '-XX:ArchiveClassesAtExit=%s\n' "$archive"
        # The dump's warnings name each class it leaves out (loaded but never linked): not news.
        printf -- '-Xlog:cds=off\n'
    fi
}

# start_service HOME DIR [NAME PORT ENV...]: runs the packaged service as its own process (its own
# "deployment") with the platform's addresses in env vars, and waits for its readiness check.
# NAME, PORT and extra ENV start another deployment of the same module (e.g. a second CRM).
# The bus: KAFKA_BOOTSTRAP as 'up' set it, else KAFKA_BOOTSTRAP_SERVERS, else the local Kafka of HOME.
# The JVM: the options of local/service.jvm, its class archive's, then SERVICE_HEAP (-Xmx) and
# SERVICE_JAVA_OPTS (more options, split on spaces; later ones win).
# shellcheck disable=SC2086 # SERVICE_JAVA_OPTS is a list of options
start_service() {
    local home=$1 dir=$2 name port jar
    local -a archive_options
    name=${3:-$(service_field "$dir" SERVICE_NAME)}
    port=${4:-$(service_field "$dir" SERVICE_PORT)}
    shift $(($# > 4 ? 4 : $#))
    jar=$(service_jar "$dir")
    if running "$home" "$name"; then
        info "$name already running on :$port"
        return 0
    fi
    [[ -f $jar ]] || die "$name is not built: run './platform up --build'"
    port_open 127.0.0.1 "$port" && die "port $port for $name is taken by something else"
    # On a secured broker, the deployment connects as its own Kafka user (its KafkaUser's name).
    local kafka_env_text
    local -a kafka_env=()
    kafka_env_text=$(kafka_client_env "$home" "$name")
    [[ -n $kafka_env_text ]] && mapfile -t kafka_env <<<"$kafka_env_text"
    local -a env_vars
    read -r -a env_vars <<<"$(service_field "$dir" SERVICE_ENV | sed "s#@DEV_PUBLIC_KEY@#$DEV_KEYS/dev-public.pem#g")"
    mapfile -t archive_options < <(class_archive_options "$home" "$dir" "$name")
    start_process "$home" "$name" env QUARKUS_HTTP_PORT="$port" \
        KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP:-${KAFKA_BOOTSTRAP_SERVERS:-$(kafka_bootstrap "$home" "$(kafka_port "$home")")}}" \
        PGHOST="$PGHOST" PGPORT="$PGPORT" REDIS_HOST="$REDIS_HOST" REDIS_PORT="$REDIS_PORT" \
        "${kafka_env[@]}" "${env_vars[@]}" "$@" java @"$ROOT/local/service.jvm" \
        "${archive_options[@]}" ${SERVICE_HEAP:+-Xmx$SERVICE_HEAP} ${SERVICE_JAVA_OPTS:-} -jar "$jar"
    wait_until 60 "$name" service_ready "$port" || {
        tail -n 30 "$home/logs/$name.log" >&2
        # Stopped, not left behind: the next 'up' would take it for running and ready. What it
        # archived as it stopped is half a start: not kept.
        stop_process "$home" "$name"
        rm -f "$(class_archive "$home" "$name")"
        die "$name did not become ready (its log: $home/logs/$name.log)"
    }
    info "$name ready on http://127.0.0.1:$port"
}
