# shellcheck shell=bash
# Glance v2 (eventlet server) on 127.0.0.1:9292 with the file store, MariaDB.

GLANCE_PACKAGES=(glance-api python3-keystonemiddleware)
GLANCE_URL=http://127.0.0.1:9292

keystone_authtoken_section() { # service-user password
  cat <<EOF
[keystone_authtoken]
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
user_domain_name = Default
project_domain_name = Default
project_name = service
username = $1
password = $2
region_name = RegionOne
interface = public
memcached_servers = 127.0.0.1:11211
EOF
}

configure_glance() {
  local d="$ETC/glance"
  mkdir -p "$d" "$DH/glance/images" "$DH/glance/staging" "$DH/glance/tasks" "$DH/glance/lock"
  write_file "$d/glance-api.conf" 640 <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9292
workers = 1
log_file = $(log_file glance-api)
use_stderr = false
enabled_backends = fs:file
show_image_direct_url = false
[database]
connection = $(db_url glance "$GLANCE_DB_PASSWORD")
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = $DH/glance/images/
[os_glance_staging_store]
filesystem_store_datadir = $DH/glance/staging/
[os_glance_tasks_store]
filesystem_store_datadir = $DH/glance/tasks/
$(keystone_authtoken_section glance "$GLANCE_PASSWORD")
[paste_deploy]
flavor = keystone
config_file = /etc/glance/glance-api-paste.ini
[oslo_concurrency]
lock_path = $DH/glance/lock
EOF
}

setup_glance() {
  ensure_db glance "$GLANCE_DB_PASSWORD"
  if ! marker_done glance-db; then
    say "glance: db_sync"
    glance-manage --config-file "$ETC/glance/glance-api.conf" db_sync >>"$(log_file glance-api)" 2>&1 ||
      die "glance db_sync failed; see $(log_file glance-api)"
    marker_set glance-db
  fi
}

start_glance_api() { daemon_start glance-api glance-api --config-file "$ETC/glance/glance-api.conf"; }
check_glance_api() { http_ok "$GLANCE_URL/healthcheck" && http_ok "$GLANCE_URL/versions" 200 300; }
endpoint_glance_api() { printf '%s/v2' "$GLANCE_URL"; }
