#!/usr/bin/env bash
# Debian's Redis on a port of our choosing, nothing persisted: the `nexus-redis` Resource in dev.
#   redis.sh start DIR PORT   -> prints the URL once it answers PING
#   redis.sh stop DIR
# The server runs in the foreground of a background job (pid in DIR/redis.pid, log in
# DIR/redis.log), listening on 127.0.0.1 only.
set -euo pipefail

REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}

usage() {
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
}

# PING through redis-cli when there is one, else a bare TCP connect; either gives up after
# 2 s, so a listener that is not Redis cannot hang the start.
answers() {
  if command -v redis-cli >/dev/null; then
    [ "$(timeout 2 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
  else
    timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
  fi
}

start() {
  local dir=$1 port=$2
  if [ ! -x "$REDIS_SERVER" ]; then
    echo "redis.sh: $REDIS_SERVER is not installed (apt-get install redis-server, or run scripts/bootstrap as root)" >&2
    exit 3
  fi
  mkdir -p "$dir"
  if answers "$port"; then
    echo "redis.sh: something already answers on 127.0.0.1:$port" >&2
    exit 1
  fi
  "$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
    --daemonize no --dir "$dir" >"$dir/redis.log" 2>&1 &
  echo $! >"$dir/redis.pid"
  for _ in $(seq 1 100); do
    if answers "$port"; then
      echo "redis://127.0.0.1:$port"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; then
      # The log's last line says why (e.g. "Failed listening on port 6379 (TCP), aborting.").
      local reason
      reason=$(tail -n 1 "$dir/redis.log" | sed -E 's/^[0-9]+:[A-Z] [0-9]{2} [A-Za-z]{3} [0-9]{4} [0-9:.]+ . //')
      echo "redis.sh: redis-server did not start on 127.0.0.1:$port: $reason (log: $dir/redis.log)" >&2
      rm -f "$dir/redis.pid"
      exit 1
    fi
    sleep 0.1
  done
  echo "redis.sh: 127.0.0.1:$port did not answer within 10 s; see $dir/redis.log" >&2
  stop "$dir"
  exit 1
}

stop() {
  local pidfile=$1/redis.pid
  [ -f "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) [ $# -eq 3 ] || usage; start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
