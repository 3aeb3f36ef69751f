# Sourced by scripts/test.sh: starts moto servers on free ports of 127.0.0.1 and stops them when
# the script exits. `start_moto VAR [ENV=VALUE...]` exports VAR=http://127.0.0.1:PORT.
MOTO_PIDS=()
stop_moto() {
  local pid
  for pid in "${MOTO_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  MOTO_PIDS=()
}
trap stop_moto EXIT

start_moto() {
  local var="$1"; shift
  local port log pid
  port="$("$MOTO_VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  log="${CARGO_TARGET_DIR}/moto-${var}.log"
  mkdir -p "$(dirname "$log")"
  env "$@" "$MOTO_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  pid=$!
  MOTO_PIDS+=("$pid")
  for _ in $(seq 1 100); do
    if "$MOTO_VENV/bin/python" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$port/moto-api/data.json', timeout=1)" 2>/dev/null; then
      export "$var=http://127.0.0.1:$port"
      echo "moto ($var) on 127.0.0.1:$port, pid $pid"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; echo "moto did not start" >&2; return 1; }
    sleep 0.2
  done
  cat "$log" >&2
  echo "moto did not answer on 127.0.0.1:$port" >&2
  return 1
}
