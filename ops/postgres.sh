#!/usr/bin/env bash
# A local PostgreSQL cluster for mentorflow and Prefect's server, listening on 127.0.0.1 only.
#
#   eval "$(ops/postgres.sh)"     install if missing, create and start the cluster, print export lines
#   ops/postgres.sh stop          stop it (the data stays)
#   ops/postgres.sh status        say whether it runs, and where
#   ops/postgres.sh test-url      start as above, print only the URL for MENTORFLOW_TEST_DATABASE_URL
#                                 (the server's maintenance database: the tests create one database each)
#
# Safe to run again: every step checks what is already there. Progress goes to stderr,
# the export lines to stdout. Settings (environment):
#   MENTORFLOW_PG_PORT      port on 127.0.0.1 (default 55432)
#   MENTORFLOW_PG_DIR       cluster directory (default $PWD/.mentorflow/postgres): data/, run/, log, password
#   MENTORFLOW_PG_USER      login role that owns both databases (default mentorflow)
#   MENTORFLOW_PG_PASSWORD  its password (default: generated once, kept in $MENTORFLOW_PG_DIR/password)
#   MENTORFLOW_PG_OPTIONS   extra server options, e.g. "-c fsync=off" for a throwaway CI cluster
set -euo pipefail

PORT="${MENTORFLOW_PG_PORT:-55432}"
CLUSTER_DIR="${MENTORFLOW_PG_DIR:-$PWD/.mentorflow/postgres}"
ROLE="${MENTORFLOW_PG_USER:-mentorflow}"
EXTRA_OPTIONS="${MENTORFLOW_PG_OPTIONS:-}"
APP_DATABASE=mentorflow
PREFECT_DATABASE=prefect

say() { echo "postgres.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# PostgreSQL refuses to run as root: as root, run its programs as the `postgres` OS user.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

find_bindir() {
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] && echo "$bindir"
}

install_postgres() {
    find_bindir >/dev/null && return 0
    [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; run as root to install it, or: sudo apt-get install postgresql"
    say "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
    find_bindir >/dev/null || die "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/pg_ctl was found"
}

prepare_directories() {
    mkdir -p "$CLUSTER_DIR/data" "$CLUSTER_DIR/run"
    CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$CLUSTER_DIR" "$CLUSTER_DIR/data" "$CLUSTER_DIR/run"
        as_owner test -x "$CLUSTER_DIR" ||
            die "the postgres OS user cannot reach $CLUSTER_DIR (a parent directory is not searchable); set MENTORFLOW_PG_DIR elsewhere"
    fi
    chmod 700 "$CLUSTER_DIR/data" "$CLUSTER_DIR/run"
}

read_password() {
    local file="$CLUSTER_DIR/password"
    if [ -n "${MENTORFLOW_PG_PASSWORD:-}" ]; then
        printf '%s' "$MENTORFLOW_PG_PASSWORD"
        return
    fi
    if [ ! -s "$file" ]; then
        (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$file")
    fi
    cat "$file"
}

initialise_cluster() {
    [ -f "$CLUSTER_DIR/data/PG_VERSION" ] && return 0
    say "initdb in $CLUSTER_DIR/data"
    # Local socket connections are trusted: the socket lives in a directory only the owner can enter.
    as_owner "$BINDIR/initdb" -D "$CLUSTER_DIR/data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 --no-instructions >/dev/null
}

is_running() {
    as_owner "$BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" status >/dev/null 2>&1
}

running_port() {
    sed -n 4p "$CLUSTER_DIR/data/postmaster.pid"
}

start_cluster() {
    if is_running; then
        PORT="$(running_port)"
        say "already running on 127.0.0.1:$PORT"
        return 0
    fi
    say "starting on 127.0.0.1:$PORT"
    local log="$CLUSTER_DIR/postgres.log"
    touch "$log"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$log"; fi
    if ! as_owner "$BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -l "$log" -w -t 60 start \
        -o "-p $PORT -c listen_addresses=127.0.0.1 -k $CLUSTER_DIR/run -c max_connections=200 $EXTRA_OPTIONS" >&2; then
        tail -n 20 "$log" >&2
        die "the server did not start (port $PORT in use? see $log)"
    fi
}

wait_until_ready() {
    local tries=0
    until "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT"; do
        tries=$((tries + 1))
        [ "$tries" -lt 60 ] || die "the server on 127.0.0.1:$PORT is not ready after 60 s"
        sleep 1
    done
}

admin_sql() {
    PGOPTIONS="-c client_min_messages=warning" as_owner "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$CLUSTER_DIR/run" -p "$PORT" -U postgres "$@"
}

create_role_and_databases() {
    local password="$1"
    admin_sql -d postgres -v role="$ROLE" -v password="$password" \
        -v app_db="$APP_DATABASE" -v prefect_db="$PREFECT_DATABASE" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
-- CREATEDB: the test suite makes a fresh database per test with this role.
ALTER ROLE :"role" WITH LOGIN CREATEDB PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'app_db', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'prefect_db', :'role')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'prefect_db') \gexec
SQL
    # Prefect's migrations create pg_trgm; do it here as superuser so the owner role needs no extra rights.
    admin_sql -d "$PREFECT_DATABASE" -c "CREATE EXTENSION IF NOT EXISTS pg_trgm" >&2
}

url_encode() {
    local text="$1" out="" char i
    for ((i = 0; i < ${#text}; i++)); do
        char="${text:i:1}"
        case "$char" in
            [A-Za-z0-9._~-]) out+="$char" ;;
            *) out+="$(printf '%%%02X' "'$char")" ;;
        esac
    done
    printf '%s' "$out"
}

database_url() {
    local driver="$1" password="$2" database="$3"
    echo "postgresql+$driver://$(url_encode "$ROLE"):$(url_encode "$password")@127.0.0.1:$PORT/$database"
}

start() {
    install_postgres
    BINDIR="$(find_bindir)"
    prepare_directories
    local password
    password="$(read_password)"
    initialise_cluster
    start_cluster
    wait_until_ready
    create_role_and_databases "$password"
    say "ready: databases $APP_DATABASE and $PREFECT_DATABASE on 127.0.0.1:$PORT, role $ROLE"
    PASSWORD="$password"
}

command_start() {
    start
    echo "export MENTORFLOW_DATABASE_URL='$(database_url psycopg "$PASSWORD" "$APP_DATABASE")'"
    echo "export PREFECT_SERVER_DATABASE_CONNECTION_URL='$(database_url asyncpg "$PASSWORD" "$PREFECT_DATABASE")'"
}

command_test_url() {
    start
    database_url psycopg "$PASSWORD" postgres
}

command_stop() {
    BINDIR="$(find_bindir)" || die "PostgreSQL is not installed"
    if [ -f "$CLUSTER_DIR/data/PG_VERSION" ] && is_running; then
        as_owner "$BINDIR/pg_ctl" -D "$CLUSTER_DIR/data" -m fast -w stop >&2
    else
        say "not running ($CLUSTER_DIR)"
    fi
}

command_status() {
    BINDIR="$(find_bindir)" || die "PostgreSQL is not installed"
    if [ -f "$CLUSTER_DIR/data/PG_VERSION" ] && is_running; then
        say "running on 127.0.0.1:$(running_port), data in $CLUSTER_DIR/data"
    else
        say "not running ($CLUSTER_DIR)"
        return 3
    fi
}

case "${1:-start}" in
    start) command_start ;;
    stop) command_stop ;;
    status) command_status ;;
    test-url) command_test_url ;;
    *) die "usage: $0 [start|stop|status|test-url]" ;;
esac
