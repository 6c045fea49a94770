#!/usr/bin/env bash
# A throw-away or persistent PostgreSQL 15 from Debian's packages, on a port of our choosing.
#   postgres.sh start DATADIR PORT   -> prints the connection string once it accepts connections
#   postgres.sh stop DATADIR
# PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user.
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
cmd=${1:?start|stop} dir=${2:?data directory}
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac

# From /, so that the postgres user does not complain about a working directory it cannot enter.
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }

case "$cmd" in
start)
  port=${3:?port}
  [ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL 15 is not installed (run scripts/bootstrap as root)" >&2; exit 3; }
  (umask 022 && mkdir -p "$dir")
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$dir"
    # Say why plainly, rather than let initdb fail on a parent only root may enter.
    runuser -u postgres -- test -x "$dir" || {
      echo "postgres.sh: the postgres user cannot reach $dir (a parent directory is not searchable by others); use one it can reach, e.g. under /var/tmp (see scripts/services/pg-data-dir)" >&2
      exit 4
    }
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
  fi
  # Sockets go to the data dir so parallel instances never collide in /var/run.
  if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
    -o "-p $port -k $dir/data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
    # pg_ctl only says "Examine the log output."; the server's log says why.
    reason=$(tail -n 20 "$dir/postgres.log" 2>/dev/null | grep -m 1 -E 'FATAL|PANIC|could not' | sed -E 's/^.*(LOG|FATAL|PANIC): +//' || true)
    echo "postgres.sh: PostgreSQL did not start on 127.0.0.1:$port: ${reason:-see $dir/postgres.log}" >&2
    exit 1
  fi
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -f "$dir/data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  ;;
*) echo "usage: $0 start DATADIR PORT | stop DATADIR" >&2; exit 2 ;;
esac
