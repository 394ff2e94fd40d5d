#!/usr/bin/env bash
# Debian's PostgreSQL for the store and concurrency tests: installed if missing, started, with an empty test
# database `atlas_test` owned by role `atlas`. Prints the TEST_DATABASE_URL to use (and nothing else on stdout).
# Needs root or sudo. SQLite stays the default of `make run`; this is for tests only.
set -euo pipefail
SUDO=$( [ "$(id -u)" = 0 ] || echo sudo )
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
if ! command -v pg_lsclusters >/dev/null; then
  $SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
VER=$(pg_lsclusters -h | awk 'NR==1{print $1}')
if [ -z "$VER" ]; then
  VER=$(ls /usr/lib/postgresql | sort -n | tail -1)
  $SUDO pg_createcluster "$VER" main >&2
fi
CLUSTER=$(pg_lsclusters -h | awk 'NR==1{print $2}')
PORT=$(pg_lsclusters -h | awk 'NR==1{print $3}')
pg_lsclusters -h | awk 'NR==1{print $4}' | grep -q online || $SUDO pg_ctlcluster "$VER" "$CLUSTER" start >&2
for _ in $(seq 30); do as_pg "psql -p $PORT -Atqc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
as_pg "psql -p $PORT -Atqc \"select 1 from pg_roles where rolname='atlas'\"" | grep -q 1 \
  || as_pg "psql -p $PORT -qc \"create role atlas login password 'atlas'\"" >&2
as_pg "psql -p $PORT -Atqc \"select 1 from pg_database where datname='atlas_test'\"" | grep -q 1 \
  || as_pg "createdb -p $PORT -O atlas atlas_test" >&2
echo "postgresql+psycopg://atlas:atlas@127.0.0.1:$PORT/atlas_test"
