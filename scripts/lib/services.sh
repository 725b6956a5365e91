# shellcheck shell=bash
# Throwaway PostgreSQL and Redis for scripts/test (and scripts/bench): each run gets its own
# cluster in a temp dir on a free port, so runs never touch a real database, never collide with
# another run or a system service, and leave nothing behind.
#
# Usage (from a script with `set -euo pipefail`):
#   source scripts/lib/services.sh
#   trap services_stop EXIT          # always: stops whatever was started, removes the dirs
#   services_start_postgres          # exports DATABASE_URL, or fails (PostgreSQL is required)
#   services_start_redis             # exports REDIS_URL; returns 1 if redis-server is missing
#
# Measured on Debian 12: the cluster starts in ~0.7 s, Redis in well under a second.

# State, read by services_stop. Empty means "not started".
SERVICES_PG_DIR=""
SERVICES_PG_BIN=""
SERVICES_REDIS_DIR=""
SERVICES_REDIS_PORT=""

services_log() { printf '[services] %s\n' "$*" >&2; }

# uv is how every script installs and runs Python; a fresh machine only has pip.
ensure_uv() {
    command -v uv >/dev/null 2>&1 && return 0
    services_log "uv not found: pip install uv"
    pip install --quiet uv || python3 -m pip install --quiet uv
    hash -r
    # pyenv puts new console scripts behind shims that exist only after a rehash.
    if ! command -v uv >/dev/null 2>&1 && command -v pyenv >/dev/null 2>&1; then
        pyenv rehash
    fi
    command -v uv >/dev/null 2>&1 || { services_log "ERROR: uv still not on PATH after pip install"; return 1; }
}

# A port nothing listens on right now. The kernel picks it (bind to port 0); there is a small race
# until the server binds it, which the start functions absorb by retrying on a new port.
services_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Commands for PostgreSQL run as the `postgres` user when we are root, because initdb refuses to
# run as root. Run from / so the postgres user never needs access to the caller's cwd.
_services_as_pg() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# Debian keeps initdb/pg_ctl off PATH, under /usr/lib/postgresql/<major>/bin. Prefer PATH
# (resolving symlinks, so psql is found next to pg_ctl), then the newest installed major version.
_services_find_pg_bin() {
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    local dir
    for dir in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k5,5 -n -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

services_start_postgres() {
    if ! SERVICES_PG_BIN=$(_services_find_pg_bin); then
        services_log "ERROR: PostgreSQL server binaries (initdb, pg_ctl) not found."
        services_log "The tests always run against PostgreSQL; install it, e.g."
        services_log "  apt-get install -y --no-install-recommends postgresql"
        return 1
    fi
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        services_log "ERROR: running as root but there is no 'postgres' user to run initdb as."
        return 1
    fi

    SERVICES_PG_DIR=$(mktemp -d -t pilotdeck-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$SERVICES_PG_DIR"
    fi
    # Trust on the socket (only the postgres OS user can reach the 0700 dir) for the set-up below;
    # a real password over TCP for the app, as in production.
    _services_as_pg "$SERVICES_PG_BIN/initdb" -D "$SERVICES_PG_DIR/data" -U postgres \
        --encoding=UTF8 --no-locale --auth-local=trust --auth-host=scram-sha-256 \
        >"$SERVICES_PG_DIR/initdb.log" 2>&1 || {
        cat "$SERVICES_PG_DIR/initdb.log" >&2
        services_log "ERROR: initdb failed"
        return 1
    }

    local port attempt started=0
    for attempt in 1 2 3; do
        port=$(services_free_port)
        # Durability off: a test cluster that dies is simply thrown away, and this is much faster.
        if _services_as_pg "$SERVICES_PG_BIN/pg_ctl" -D "$SERVICES_PG_DIR/data" \
            -l "$SERVICES_PG_DIR/postgres.log" -w -t 30 \
            -o "-p $port -k $SERVICES_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null; then
            started=1
            break
        fi
        services_log "pg_ctl start on port $port failed (attempt $attempt); retrying"
    done
    if [ "$started" != 1 ]; then
        cat "$SERVICES_PG_DIR/postgres.log" >&2 || true
        services_log "ERROR: could not start PostgreSQL"
        return 1
    fi

    # Hex only, so it needs no escaping in the URL. CREATEDB: pytest-django creates test_pilotdeck.
    local password psql="$SERVICES_PG_BIN/psql"
    [ -x "$psql" ] || psql=$(command -v psql)
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    _services_as_pg "$psql" -X -q -v ON_ERROR_STOP=1 -h "$SERVICES_PG_DIR" \
        -p "$port" -U postgres -d postgres >/dev/null <<SQL
CREATE ROLE pilotdeck LOGIN CREATEDB PASSWORD '$password';
CREATE DATABASE pilotdeck OWNER pilotdeck;
SQL
    export DATABASE_URL="postgres://pilotdeck:$password@127.0.0.1:$port/pilotdeck"
    services_log "PostgreSQL $("$SERVICES_PG_BIN/pg_ctl" --version | awk '{print $3}') on 127.0.0.1:$port (data in $SERVICES_PG_DIR)"
}

# Returns 1 (and exports nothing) if redis-server is not installed; the caller decides whether
# that is a warning or an error. Any other failure is an error.
services_start_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        return 1
    fi
    SERVICES_REDIS_DIR=$(mktemp -d -t pilotdeck-redis.XXXXXX)
    local port attempt
    for attempt in 1 2 3; do
        port=$(services_free_port)
        # No persistence: nothing in it outlives the run. --daemonize returns before the port is
        # bound, so wait for PING (a bind failure only shows in the log).
        redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
            --dir "$SERVICES_REDIS_DIR" --pidfile "$SERVICES_REDIS_DIR/redis.pid" \
            --logfile "$SERVICES_REDIS_DIR/redis.log"
        for _ in $(seq 1 50); do
            if [ "$(redis-cli -p "$port" ping 2>/dev/null)" = PONG ]; then
                SERVICES_REDIS_PORT=$port
                export REDIS_URL="redis://127.0.0.1:$port/0"
                services_log "Redis $(redis-server --version | awk '{print $3}' | sed 's/^v=//') on 127.0.0.1:$port"
                return 0
            fi
            sleep 0.1
        done
        services_log "redis-server on port $port did not answer (attempt $attempt); retrying"
        # A slow server that did start must not be left behind by the retry.
        if [ -f "$SERVICES_REDIS_DIR/redis.pid" ]; then
            kill "$(cat "$SERVICES_REDIS_DIR/redis.pid")" 2>/dev/null || true
            rm -f "$SERVICES_REDIS_DIR/redis.pid"
        fi
    done
    cat "$SERVICES_REDIS_DIR/redis.log" >&2 || true
    services_log "ERROR: could not start redis-server"
    return 2
}

# Idempotent and never fails, so it is safe in an EXIT trap after a partial start. It does not
# change the caller's exit status.
services_stop() {
    if [ -n "$SERVICES_REDIS_PORT" ]; then
        local pid=""
        pid=$(cat "$SERVICES_REDIS_DIR/redis.pid" 2>/dev/null || true)
        redis-cli -p "$SERVICES_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        # shutdown returns when the connection drops; wait for the process itself to be gone.
        if [ -n "$pid" ]; then
            for _ in $(seq 1 50); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.1
            done
        fi
        SERVICES_REDIS_PORT=""
    fi
    if [ -n "$SERVICES_REDIS_DIR" ]; then
        rm -rf "$SERVICES_REDIS_DIR"
        SERVICES_REDIS_DIR=""
    fi
    if [ -n "$SERVICES_PG_DIR" ]; then
        if [ -f "$SERVICES_PG_DIR/data/postmaster.pid" ]; then
            _services_as_pg "$SERVICES_PG_BIN/pg_ctl" -D "$SERVICES_PG_DIR/data" -m fast -w -t 30 \
                stop >/dev/null 2>&1 || services_log "WARNING: pg_ctl stop failed"
        fi
        rm -rf "$SERVICES_PG_DIR"
        SERVICES_PG_DIR=""
    fi
}
