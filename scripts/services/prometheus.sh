#!/usr/bin/env bash
# Runs Debian's Prometheus against the sandbox cluster (or several: HOST:PORT,HOST:PORT,...).
#   prometheus.sh start DATADIR PORT TARGET_HOST:PORT[,...] [SCRAPE_INTERVAL]   prints the base URL
#   prometheus.sh stop DATADIR
set -euo pipefail

PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
CONFIG_TEMPLATE="$(cd "$(dirname "$0")/../.." && pwd)/packages/sandbox-cluster/prometheus/prometheus.yml"

usage() {
  echo "usage: $0 start DATADIR PORT TARGET_HOST:PORT[,...] [SCRAPE_INTERVAL] | stop DATADIR" >&2
  exit 2
}

start() {
  local dir=$1 port=$2 target=$3 interval=${4:-15s}
  if [ ! -x "$PROMETHEUS" ]; then
    echo "prometheus.sh: $PROMETHEUS is not installed (apt-get install prometheus, or run scripts/bootstrap as root)" >&2
    exit 1
  fi
  mkdir -p "$dir/data"
  # Several targets become several entries of the one static_configs list.
  sed -e "s/SCRAPE_INTERVAL/$interval/g" -e "s/TARGET/${target//,/\', \'}/" "$CONFIG_TEMPLATE" >"$dir/prometheus.yml"
  "$PROMETHEUS" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
    --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
  echo $! >"$dir/prometheus.pid"
  local url="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if curl -fsS "$url/-/ready" >/dev/null 2>&1; then
      echo "$url"
      return 0
    fi
    if ! kill -0 "$(cat "$dir/prometheus.pid")" 2>/dev/null; then
      echo "prometheus.sh: prometheus exited; see $dir/prometheus.log:" >&2
      tail -n 20 "$dir/prometheus.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "prometheus.sh: $url/-/ready did not answer within 30 s; see $dir/prometheus.log" >&2
  exit 1
}

stop() {
  local pidfile=$1/prometheus.pid
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
  start) [ $# -ge 4 ] || usage; start "$2" "$3" "$4" "${5:-}" ;;
  stop) [ $# -eq 2 ] || usage; stop "$2" ;;
  *) usage ;;
esac
