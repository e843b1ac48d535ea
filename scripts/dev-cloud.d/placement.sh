# shellcheck shell=bash
# Placement under uwsgi on 127.0.0.1:8778, MariaDB.

PLACEMENT_PACKAGES=(placement-api python3-keystonemiddleware uwsgi-core uwsgi-plugin-python3)
PLACEMENT_URL=http://127.0.0.1:8778

# uwsgi_ini PORT WSGI_FILE PROCESSES THREADS ENV_LINE...: an http-socket uwsgi on 127.0.0.1.
uwsgi_ini() {
  local port=$1 wsgi=$2 procs=$3 threads=$4 e
  shift 4
  printf '[uwsgi]\nplugins = python3\nhttp-socket = 127.0.0.1:%s\nwsgi-file = %s\n' "$port" "$wsgi"
  for e in "$@"; do printf 'env = %s\n' "$e"; done
  cat <<EOF
master = true
processes = $procs
threads = $threads
enable-threads = true
lazy-apps = true
need-app = true
die-on-term = true
buffer-size = 65535
http-chunked-input = true
http-auto-chunked = true
http-raw-body = true
wsgi-manage-chunked-input = true
# uwsgi closes the socket after each response: say so, or keep-alive clients get ECONNRESET.
add-header = Connection: close
EOF
}

configure_placement() {
  local d="$ETC/placement"
  mkdir -p "$d"
  write_file "$d/placement.conf" 640 <<EOF
[DEFAULT]
use_stderr = false
[api]
auth_strategy = keystone
[placement_database]
connection = $(db_url placement "$PLACEMENT_DB_PASSWORD")
max_pool_size = 5
max_overflow = 20
$(keystone_authtoken_section placement "$PLACEMENT_PASSWORD")
EOF
  uwsgi_ini 8778 /usr/bin/placement-api 2 4 "OS_PLACEMENT_CONFIG_DIR=$d" | write_file "$d/uwsgi.ini"
}

setup_placement() {
  ensure_db placement "$PLACEMENT_DB_PASSWORD"
  if ! marker_done placement-db; then
    say "placement: db sync"
    OS_PLACEMENT_CONFIG_DIR="$ETC/placement" placement-manage --config-dir "$ETC/placement" db sync \
      >>"$(log_file placement-api)" 2>&1 || die "placement db sync failed; see $(log_file placement-api)"
    marker_set placement-db
  fi
}

start_placement_api() { daemon_start placement-api uwsgi --ini "$ETC/placement/uwsgi.ini"; }
check_placement_api() { http_ok "$PLACEMENT_URL/" 200; }
endpoint_placement_api() { printf '%s' "$PLACEMENT_URL"; }
