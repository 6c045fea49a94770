#!/usr/bin/env bash
# The DR-drill target for dev and CI: a real PostgreSQL 15 with a seeded `nexus_db`.
#   dr-target.sh start [DATADIR] [PORT]  -> prints the nexus_db connection string
#   dr-target.sh stop [DATADIR]
# DATADIR defaults to `pg-data-dir dr-target` (a directory the postgres user can reach),
# PORT to $DR_TARGET_PORT or 5433 (the dev contract).
# Seeding is idempotent and deterministic, so a drill's checksums are the same every time.
# The application role nexus_app (the one rotate-db-password rotates; never the printed
# admin connection) signs in over TCP with scram-sha-256 only; each start resets its
# password to $NEXUS_APP_PASSWORD (default nexus-app-dev-password), as a fresh sandbox
# cluster's Secret has it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: dr-target.sh start [DATADIR] [PORT] | stop [DATADIR]}
dir=${2:-$("$here/pg-data-dir" dr-target)}
# postgres.sh runs the server as the postgres user, which needs an absolute path.
case "$dir" in /*) ;; *) dir=$PWD/$dir ;; esac
bin=/usr/lib/postgresql/15/bin
psql=$bin/psql

case "$cmd" in
start)
  port=${3:-${DR_TARGET_PORT:-5433}}
  # A second start finds the server running and only re-checks the seed.
  if ! { [ -f "$dir/data/postmaster.pid" ] && "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; }; then
    "$here/postgres.sh" start "$dir" "$port" >/dev/null
  fi
  server="postgresql://postgres@127.0.0.1:$port"
  if [ -z "$("$psql" "$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'nexus_db'")" ]; then
    "$psql" "$server/postgres" -qc 'CREATE DATABASE nexus_db'
  fi
  "$psql" "$server/nexus_db" -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS users (
  id bigint PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text NOT NULL,
  plan text NOT NULL CHECK (plan IN ('free', 'standard', 'premium')),
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS content_items (
  id bigint PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES users (id),
  title text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('video', 'audio', 'article')),
  duration_seconds integer,
  published_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS uploads (
  id bigint PRIMARY KEY,
  content_id bigint NOT NULL REFERENCES content_items (id),
  user_id bigint NOT NULL REFERENCES users (id),
  bytes bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('complete', 'processing', 'failed')),
  uploaded_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS transactions (
  id bigint PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  kind text NOT NULL CHECK (kind IN ('subscription', 'purchase', 'refund')),
  amount_cents integer NOT NULL,
  currency char(3) NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id),
  user_agent text NOT NULL,
  started_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS content_items_owner ON content_items (owner_id);
CREATE INDEX IF NOT EXISTS transactions_user_time ON transactions (user_id, created_at);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id);

-- One transaction: a half-seeded database never survives an interrupted start.
BEGIN;
INSERT INTO users
SELECT i, 'user' || i || '@nexus-cos.example', 'User ' || i,
       (ARRAY['free', 'standard', 'premium'])[1 + i % 3],
       timestamptz '2025-01-01 00:00+00' + i * interval '37 minutes'
FROM generate_series(1, 2000) AS i
ON CONFLICT DO NOTHING;
INSERT INTO content_items
SELECT i, 1 + (i * 7) % 2000, 'Title ' || substr(md5('content' || i), 1, 12),
       (ARRAY['video', 'audio', 'article'])[1 + i % 3],
       CASE WHEN i % 3 = 2 THEN NULL ELSE 60 + (i * 13) % 5400 END,
       timestamptz '2025-02-01 00:00+00' + i * interval '11 minutes'
FROM generate_series(1, 5000) AS i
ON CONFLICT DO NOTHING;
INSERT INTO uploads
SELECT i, 1 + (i * 3) % 5000, 1 + (i * 11) % 2000, 1048576 + (i * 7919) % 524288000,
       (ARRAY['complete', 'complete', 'complete', 'processing', 'failed'])[1 + i % 5],
       timestamptz '2025-02-01 00:00+00' + i * interval '9 minutes'
FROM generate_series(1, 5000) AS i
ON CONFLICT DO NOTHING;
INSERT INTO transactions
SELECT i, 1 + (i * 17) % 2000,
       CASE WHEN i % 10 = 0 THEN 'refund' WHEN i % 10 <= 4 THEN 'purchase' ELSE 'subscription' END,
       CASE WHEN i % 10 = 0 THEN -499 ELSE 499 + (i * 31) % 5000 END,
       (ARRAY['USD', 'EUR', 'GBP'])[1 + i % 3],
       timestamptz '2025-03-01 00:00+00' + i * interval '4 minutes'
FROM generate_series(1, 10000) AS i
ON CONFLICT DO NOTHING;
INSERT INTO sessions
SELECT md5('session' || i), 1 + (i * 13) % 2000,
       (ARRAY['nexus-ios/5.2', 'nexus-android/5.2', 'Mozilla/5.0'])[1 + i % 3],
       timestamptz '2025-06-01 00:00+00' + i * interval '3 minutes',
       timestamptz '2025-06-01 00:00+00' + i * interval '3 minutes' + (i % 120) * interval '1 minute'
FROM generate_series(1, 3000) AS i
ON CONFLICT DO NOTHING;
COMMIT;
SQL
  hba="$dir/data/pg_hba.conf"
  if ! grep -q '^host all nexus_app ' "$hba"; then
    # The first matching line wins, so these go before initdb's trust lines; `cat >`
    # keeps the file's owner.
    { printf 'host all nexus_app 127.0.0.1/32 scram-sha-256\nhost all nexus_app ::1/128 scram-sha-256\n'; cat "$hba"; } >"$hba.new"
    cat "$hba.new" >"$hba" && rm -f "$hba.new"
    "$psql" "$server/postgres" -qtAc 'SELECT pg_reload_conf()' >/dev/null
  fi
  "$psql" "$server/nexus_db" -q -v ON_ERROR_STOP=1 -v app_password="${NEXUS_APP_PASSWORD:-nexus-app-dev-password}" <<'SQL'
SET client_min_messages = warning;
SET password_encryption = 'scram-sha-256';
SELECT NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nexus_app') AS missing \gset
\if :missing
CREATE ROLE nexus_app LOGIN;
\endif
ALTER ROLE nexus_app PASSWORD :'app_password';
GRANT CONNECT ON DATABASE nexus_db TO nexus_app;
GRANT USAGE ON SCHEMA public TO nexus_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO nexus_app;
SQL
  echo "$server/nexus_db"
  ;;
stop)
  "$here/postgres.sh" stop "$dir"
  ;;
*)
  echo "usage: $0 start [DATADIR] [PORT] | stop [DATADIR]" >&2
  exit 2
  ;;
esac
