#!/usr/bin/env bash
# bench/fleet.sh: ForgotPassword through 1, 2 and 3 cognate instances on one PostgreSQL, in one
# run (docs/SCALING.md "Measured"). It builds cognate and cognate-load, starts three
# instances on a fresh schema of the database COGNATE_BENCH_POSTGRES_DSN names (a
# postgres:// URL with a query string, e.g. ...?sslmode=disable), and drives 1, then 2,
# then 3 of them with the same load, each time on a fresh pool. Extra arguments go to
# cognate-load (default: --mix forgot --concurrency 64 --duration 10s --users 2000).
set -euo pipefail
cd "$(dirname "$0")/.."
dsn_base="${COGNATE_BENCH_POSTGRES_DSN:?set COGNATE_BENCH_POSTGRES_DSN to a postgres:// URL}"
work="$(mktemp -d)"
schema="cognate_bench_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$dsn_base" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/cognate" ./cmd/cognate
go build -o "$work/cognate-load" ./cmd/cognate-load
psql "$dsn_base" -qc "CREATE SCHEMA $schema"
dsn="$dsn_base&search_path=$schema"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$work/secret.key"
"$work/cognate" migrate --store "$dsn" >/dev/null

urls=()
for i in 1 2 3; do
  port=$((19300 + i))
  "$work/cognate" serve --addr "127.0.0.1:$port" --store "$dsn" --migrate=false \
    --secret-key-file "$work/secret.key" --log-level warn >"$work/serve$i.log" 2>&1 &
  pids+=($!)
  urls+=("http://127.0.0.1:$port")
done
for u in "${urls[@]}"; do
  for _ in $(seq 100); do curl -fs "$u/readyz" >/dev/null && break; sleep 0.1; done
done

args=("$@")
((${#args[@]})) || args=(--mix forgot --concurrency 64 --duration 10s --users 2000)
for n in 1 2 3; do
  endpoints="$(IFS=,; echo "${urls[*]:0:$n}")"
  echo "== $n instance(s): $endpoints"
  "$work/cognate-load" --endpoint "$endpoints" "${args[@]}"
done
