#!/usr/bin/env bash
# A throwaway MariaDB server for the walkthrough examples.
#
# Sourced (by scripts/examples-lib.sh) it defines:
#   mariadb_ensure_installed          apt-get install mariadb-server when mariadbd/mysqld is missing
#   mariadb_start DIR STORE           initialise DIR/mariadb, start the server on 127.0.0.1 on the
#                                     port of STORE's secret dev/demoapp/db (or $CREDS_PATH), create
#                                     that secret's database and user; sets MARIADB_PID
#   mariadb_stop                      stop it (its whole process group)
#
# Run directly it starts one in the foreground until Ctrl-C, then deletes its data:
#   scripts/mariadb.sh [STORE]        (default examples/store.json)
#
# The server has its own data directory, socket and pid file, and reads no my.cnf
# (--no-defaults), so it never collides with a system server. The secret's password goes to
# the server on stdin, never on a command line or in a log.

MARIADB_PID="${MARIADB_PID:-}"
MARIADB_DIR="${MARIADB_DIR:-}"

_mariadb_say() { echo "==> $*" >&2; }

# Echoes the path of the server binary, or nothing.
_mariadb_server_bin() {
  local b
  for b in mariadbd mysqld; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return; fi
    if [ -x "/usr/sbin/$b" ]; then echo "/usr/sbin/$b"; return; fi
  done
}

mariadb_ensure_installed() {
  if [ -n "$(_mariadb_server_bin)" ] && command -v mariadb-install-db >/dev/null 2>&1; then
    return 0
  fi
  _mariadb_say "installing mariadb-server with apt-get (one time)"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # policy-rc.d (present in containers) stops the package from starting a system server;
  # where there is none, the system service may start — ours never uses its port or socket.
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq mariadb-server >/dev/null
  [ -n "$(_mariadb_server_bin)" ] || { echo "mariadb-server installed but no mariadbd/mysqld found" >&2; return 1; }
}

# Prints one field of the database secret in STORE (the secret named $CREDS_PATH, else
# dev/demoapp/db). Field "port" defaults to 3306.
mariadb_secret_field() {
  local store="$1" field="$2"
  python3 - "$store" "${CREDS_PATH:-dev/demoapp/db}" "$field" <<'PY'
import json, sys
store, name, field = sys.argv[1:4]
with open(store) as f:
    doc = json.load(f)
for s in doc.get("secrets", []):
    if s.get("name") == name:
        value = s.get("string")
        if value is None:
            current = [v for v in s.get("versions", []) if "AWSCURRENT" in v.get("stages", [])]
            value = (current or s.get("versions", [{}]))[-1].get("string")
        creds = json.loads(value)
        print(creds.get(field, 3306 if field == "port" else ""))
        break
else:
    sys.exit(f"no secret {name!r} in {store}")
PY
}

# Waits until PORT on 127.0.0.1 accepts connections or SECONDS pass.
_mariadb_port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

mariadb_start() {
  local dir="$1" store="$2"
  local bin port dbname user
  bin="$(_mariadb_server_bin)"
  port="$(mariadb_secret_field "$store" port)" || return 1
  dbname="$(mariadb_secret_field "$store" dbname)" || return 1
  user="$(mariadb_secret_field "$store" username)" || return 1
  if _mariadb_port_busy "$port"; then
    echo "port $port on 127.0.0.1 is already in use (another server, or a demo still running?);" >&2
    echo "free it or change the port in the secret in $store" >&2
    return 1
  fi
  MARIADB_DIR="$dir/mariadb"
  mkdir -p "$MARIADB_DIR/data"
  local as_root=()
  if [ "$(id -u)" -eq 0 ]; then as_root=(--user=root); fi
  # normal auth: root@localhost with an empty password, reachable only over our own socket
  if ! mariadb-install-db --no-defaults "${as_root[@]}" --datadir="$MARIADB_DIR/data" \
      --auth-root-authentication-method=normal --skip-test-db \
      >"$MARIADB_DIR/install.log" 2>&1; then
    echo "mariadb-install-db failed; its log:" >&2
    tail -20 "$MARIADB_DIR/install.log" >&2
    return 1
  fi
  # setsid: its own process group and session, so a Ctrl-C in the terminal reaches only the
  # script, whose trap then stops the server in order.
  setsid "$bin" --no-defaults "${as_root[@]}" \
    --datadir="$MARIADB_DIR/data" \
    --socket="$MARIADB_DIR/mysqld.sock" \
    --pid-file="$MARIADB_DIR/mariadbd.pid" \
    --log-error="$MARIADB_DIR/error.log" \
    --bind-address=127.0.0.1 --port="$port" \
    --skip-name-resolve --skip-log-bin \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=8M \
    </dev/null >/dev/null 2>&1 &
  MARIADB_PID=$!
  local _ up=0
  for _ in $(seq 1 300); do
    if mariadb-admin --no-defaults --socket="$MARIADB_DIR/mysqld.sock" -uroot ping >/dev/null 2>&1; then
      up=1
      break
    fi
    if ! kill -0 "$MARIADB_PID" 2>/dev/null; then
      echo "mariadbd exited during start-up; its log:" >&2
      tail -20 "$MARIADB_DIR/error.log" >&2
      MARIADB_PID=""
      return 1
    fi
    sleep 0.1
  done
  if [ "$up" -ne 1 ]; then
    echo "mariadbd did not answer within 30 s; its log:" >&2
    tail -20 "$MARIADB_DIR/error.log" >&2
    return 1
  fi
  # The SQL (with the password) goes on stdin, built from the store by Python.
  python3 - "$store" "${CREDS_PATH:-dev/demoapp/db}" <<'PY' |
import json, sys
store, name = sys.argv[1:3]
with open(store) as f:
    doc = json.load(f)
s = next(s for s in doc["secrets"] if s["name"] == name)
value = s.get("string") or s["versions"][-1]["string"]
c = json.loads(value)
def lit(v):
    return "'" + str(v).replace("\\", "\\\\").replace("'", "\\'") + "'"
def ident(v):
    return "`" + str(v).replace("`", "``") + "`"
print(f"CREATE DATABASE IF NOT EXISTS {ident(c['dbname'])};")
for host in ("127.0.0.1", "localhost", "%"):
    print(f"CREATE USER IF NOT EXISTS {lit(c['username'])}@{lit(host)} IDENTIFIED BY {lit(c['password'])};")
    print(f"GRANT ALL PRIVILEGES ON {ident(c['dbname'])}.* TO {lit(c['username'])}@{lit(host)};")
print("FLUSH PRIVILEGES;")
PY
  mariadb --no-defaults --socket="$MARIADB_DIR/mysqld.sock" -uroot || {
    echo "creating database $dbname and user $user failed" >&2
    return 1
  }
  MARIADB_PORT="$port"
  MARIADB_VERSION="$(mariadb --no-defaults --socket="$MARIADB_DIR/mysqld.sock" -uroot -N -B -e 'SELECT VERSION()')"
}

mariadb_stop() {
  # A signal between starting the server and recording its pid: its pid file still tells.
  if [ -z "$MARIADB_PID" ] && [ -n "$MARIADB_DIR" ] && [ -f "$MARIADB_DIR/mariadbd.pid" ]; then
    MARIADB_PID="$(cat "$MARIADB_DIR/mariadbd.pid" 2>/dev/null || true)"
  fi
  [ -n "$MARIADB_PID" ] || return 0
  local pid="$MARIADB_PID" _
  MARIADB_PID=""
  # mariadbd shuts down cleanly on SIGTERM; wait up to 10 s, then SIGKILL the group.
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$pid" 2>/dev/null || true
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run directly: a foreground server until Ctrl-C.
  set -euo pipefail
  root="$(cd "$(dirname "$0")/.." && pwd)"
  store="${1:-$root/examples/store.json}"
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/paramsecrets-mariadb.XXXXXX")"
  # shellcheck disable=SC2317  # run by the trap
  cleanup() {
    trap - EXIT INT TERM
    mariadb_stop
    rm -rf "$tmp"
  }
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mariadb_ensure_installed
  mariadb_start "$tmp" "$store"
  echo "MariaDB $MARIADB_VERSION on 127.0.0.1:$MARIADB_PORT (data in $tmp); Ctrl-C stops it and deletes the data"
  while kill -0 "$MARIADB_PID" 2>/dev/null; do sleep 1; done
  echo "mariadbd exited" >&2
  exit 1
fi
