#!/usr/bin/env bash
# bench/compare.sh: cognate (SQLite) against its peers, moto (moto_server) and cognito-local,
# with the identical workload on each, one server after another on loopback ports, on this
# machine's cores. Writes bench/results/<date>.md (absolute figures, and ratios to cognate
# from the same run) and bench/results/<date>.png (ForgotPassword throughput against pool
# size).
#
# Each server gets a fresh process and store for each pool size. cognate runs every size;
# each peer runs sizes in order until its time budget (PEER_BUDGET seconds, setup
# included) is spent, and the table says where it stopped. cognate also runs, in the same
# invocation, ConfirmForgotPassword and USER_PASSWORD_AUTH beside the bare argon2id rate, and
# its start-up on the existing database of the largest pool.
#
# Settings (environment): SIZES ("1000 10000 100000 1000000"), DURATION (20s),
# CONCURRENCY (64), PEER_BUDGET (600), PEERS ("moto cognito-local"), COGNITO_LOCAL_VERSION
# (5.3.0), RECOVER_USERS (10000, made by import), AUTH_USERS (500, made by the admin API:
# two password hashes each), OUT (bench/results/<date>).
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000 10000 100000 1000000"}
DURATION=${DURATION:-20s}
CONCURRENCY=${CONCURRENCY:-64}
PEER_BUDGET=${PEER_BUDGET:-600}
PEERS=${PEERS:-"moto cognito-local"}
COGNITO_LOCAL_VERSION=${COGNITO_LOCAL_VERSION:-5.3.0}
RECOVER_USERS=${RECOVER_USERS:-10000}
AUTH_USERS=${AUTH_USERS:-500}
OUT=${OUT:-bench/results/$(date -u +%Y-%m-%d)}

work=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/raw" "$(dirname "$OUT")"
index=$work/runs.tsv
: >"$index"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

log "building cognate, cognate-load and chart"
go build -o "$work/bin/" ./cmd/cognate ./cmd/cognate-load ./bench/chart

# free_port prints a loopback port nobody listens on now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# wait_http waits until something answers HTTP on the port (any status), for up to 60 s.
wait_http() {
  local port=$1
  for _ in $(seq 600); do
    if curl -s -o /dev/null -m 1 -X POST "http://127.0.0.1:$port/"; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then log "the server exited"; return 1; fi
    sleep 0.1
  done
  log "nothing answered on port $port"
  return 1
}

stop_server() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=
  fi
}

# start NAME PORT DATADIR starts one server in the background (server_pid).
start() {
  local name=$1 port=$2 dir=$3
  mkdir -p "$dir"
  case $name in
    cognate)
      "$work/bin/cognate" serve --addr "127.0.0.1:$port" --store "$dir/cognate.db" --log-level warn >"$dir/log" 2>&1 &
      ;;
    moto)
      moto_server -H 127.0.0.1 -p "$port" >"$dir/log" 2>&1 &
      ;;
    cognito-local)
      # Its pools default to email usernames; the workload's pools have plain ones, as
      # cognate's and moto's do (and Cognito's without UsernameAttributes).
      mkdir -p "$dir/.cognito"
      echo '{"UserPoolDefaults": {"UsernameAttributes": []}}' >"$dir/.cognito/config.json"
      (cd "$dir" && HOST=127.0.0.1 PORT=$port exec node "$work/cognito-local/node_modules/cognito-local/lib/bin/start.js") >"$dir/log" 2>&1 &
      ;;
  esac
  server_pid=$!
  wait_http "$port"
}

# measure NAME SIZE MIX LIMIT [load flags...]: one run against a fresh server; appends
# to the index. LIMIT is the seconds the run may take (0: no limit). Answers 1 when the
# run did not end within it.
measure() {
  local name=$1 size=$2 mix=$3 limit=$4
  shift 4
  local label=$name
  [[ $mix == forgot ]] || label=$name/$mix
  local port dir report
  port=$(free_port)
  dir=$work/data/$label-$size
  report=$work/raw/${label//\//-}-$size.json
  if ! start "$name" "$port" "$dir"; then
    printf '%s\t%s\t%s\t\n' "$label" "$size" "server did not start" >>"$index"
    stop_server
    return 1
  fi
  log "$label: $size users, $mix, $CONCURRENCY clients for $DURATION"
  local timeout=()
  ((limit > 0)) && timeout=(timeout "$limit")
  local rc=0
  "${timeout[@]}" "$work/bin/cognate-load" --endpoint "http://127.0.0.1:$port" --users "$size" --mix "$mix" \
    --concurrency "$CONCURRENCY" --duration "$DURATION" --server-pid "$server_pid" --json "$@" >"$report" 2>"$dir/load.log" || rc=$?
  if ((rc == 0)); then
    printf '%s\t%s\tok\t%s\n' "$label" "$size" "$report" >>"$index"
  elif ((rc == 124)); then
    printf '%s\t%s\t%s\t\n' "$label" "$size" "not done within the time left of its ${PEER_BUDGET}s" >>"$index"
  else
    printf '%s\t%s\t%s\t\n' "$label" "$size" "the load tool failed: $(tail -1 "$dir/load.log" | tr '\t|' '  ')" >>"$index"
  fi
  if [[ $name == cognate && $mix == forgot ]]; then
    last_cognate_dir=$dir last_cognate_port=$port
  fi
  stop_server
  ((rc == 0 || rc != 124))
}

# startup measures cognate's start on an existing database: from exec to the first
# answered request (the median of five).
startup() {
  local dir=$1 port=$2 size=$3 times=()
  for _ in 1 2 3 4 5; do
    local t0 t1
    t0=$(date +%s%N)
    start cognate "$port" "$dir"
    t1=$(date +%s%N)
    times+=($(((t1 - t0) / 1000000)))
    stop_server
  done
  local sorted
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
  printf -- '- cognate start-up on the existing database of its %s-user pool, exec to first answered request, five starts: %s ms (median %s ms).\n' \
    "$size" "$sorted" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)" >>"$work/notes.md"
}

: >"$work/notes.md"
for size in $SIZES; do
  measure cognate "$size" forgot 0 || true
done
if [[ -n ${last_cognate_dir:-} ]]; then
  startup "$last_cognate_dir" "$last_cognate_port" "$(echo "$SIZES" | awk '{print $NF}')"
fi
# Password hashing operations beside the bare argon2id rate, in the same invocation.
measure cognate "$RECOVER_USERS" recover 0 --argon2 10s || true
measure cognate "$AUTH_USERS" auth 0 --argon2 10s --make-users admin || true

for peer in $PEERS; do
  case $peer in
    moto)
      command -v moto_server >/dev/null || { printf 'moto\t0\tmoto_server is not installed\t\n' >>"$index"; continue; } ;;
    cognito-local)
      if [[ ! -d $work/cognito-local ]]; then
        log "installing cognito-local $COGNITO_LOCAL_VERSION"
        npm install --prefix "$work/cognito-local" --no-audit --no-fund --silent "cognito-local@$COGNITO_LOCAL_VERSION" >&2
      fi ;;
  esac
  deadline=$(($(date +%s) + PEER_BUDGET))
  for size in $SIZES; do
    left=$((deadline - $(date +%s)))
    if ((left <= 0)); then
      printf '%s\t%s\t%s\t\n' "$peer" "$size" "not tried: its ${PEER_BUDGET}s were spent" >>"$index"
      continue
    fi
    measure "$peer" "$size" forgot "$left" || true
  done
done

{
  printf -- '- %s, %s clients, %s measured per run, pool sizes %s; client and server on the same %s cores.\n' \
    "$(date -u +%Y-%m-%dT%H:%MZ)" "$CONCURRENCY" "$DURATION" "$SIZES" "$(nproc)"
  printf -- '- cognate %s (SQLite, WAL, synchronous FULL); moto %s; cognito-local %s.\n' \
    "$(git rev-parse --short HEAD)" "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null || echo '?')" "$COGNITO_LOCAL_VERSION"
  printf -- '- ForgotPassword allows five requests per user an hour at AWS and in cognate, so a small pool runs out of users before the run ends ("made by", and ok/s over the time it ran).\n'
} >>"$work/notes.md"

"$work/bin/chart" --index "$index" --md "$OUT.md" --png "$OUT.png" --notes "$work/notes.md" \
  --title "ForgotPassword, $CONCURRENCY clients, $(nproc) cores"
log "wrote $OUT.md and $OUT.png"
