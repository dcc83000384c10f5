#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and Redis servers on loopback for the multi-instance and PostgreSQL tests.
# Source it (". .ci/postgres.sh"): it exports SUPPORTSLM_TEST_POSTGRES and SUPPORTSLM_TEST_REDIS. Idempotent: a second
# run reuses the running servers. Installs the Debian packages when missing (needs root, as CI has).
# Ports and folders can be overridden with SUPPORTSLM_PG_PORT, SUPPORTSLM_REDIS_PORT, SUPPORTSLM_SERVERS_DIR.

supportslm_servers() {
  local pg_port=${SUPPORTSLM_PG_PORT:-55432}
  local redis_port=${SUPPORTSLM_REDIS_PORT:-56379}
  local dir=${SUPPORTSLM_SERVERS_DIR:-/tmp/supportslm-servers}
  local pgdata="$dir/pg" packages=()

  for p in postgresql redis-server; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || packages+=("$p")
  done
  if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "missing Debian packages: ${packages[*]} — install them with: sudo apt-get install ${packages[*]}" >&2
      return 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  fi

  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL binaries not found under /usr/lib/postgresql" >&2; return 1; }

  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user (created by the Debian package).
  local as_pg=()
  if [ "$(id -u)" -eq 0 ]; then as_pg=(runuser -u postgres --); fi
  mkdir -p "$dir"
  chmod 755 "$dir"
  if [ ! -f "$pgdata/PG_VERSION" ]; then
    rm -rf "$pgdata"
    mkdir -p "$pgdata"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pgdata"
    "${as_pg[@]}" "$bin/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; return 1; }
  fi
  if ! "${as_pg[@]}" "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    # Loopback only, socket in the data folder (the Debian default folder may not exist without the service).
    "${as_pg[@]}" "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 start \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$pgdata -c max_connections=300 -c fsync=off" >/dev/null \
      || { tail -20 "$pgdata/server.log" >&2; return 1; }
  fi

  if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
      --dir "$dir" --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
    for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$redis_port" ping >/dev/null || { tail -20 "$dir/redis.log" >&2; return 1; }
  fi

  # Tests create and drop their own databases, so the connection string names the maintenance database.
  export SUPPORTSLM_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
  export SUPPORTSLM_TEST_REDIS="127.0.0.1:$redis_port"
  echo "PostgreSQL: $SUPPORTSLM_TEST_POSTGRES"
  echo "Redis: $SUPPORTSLM_TEST_REDIS"
}

supportslm_servers
