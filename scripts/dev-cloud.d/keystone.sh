# shellcheck shell=bash
# Keystone under uwsgi on 127.0.0.1:5000, fernet tokens, MariaDB.

KEYSTONE_PACKAGES=(keystone python3-pymysql python3-memcache uwsgi-core uwsgi-plugin-python3)
KEYSTONE_URL=http://127.0.0.1:5000/v3

configure_keystone() {
  local d="$ETC/keystone"
  mkdir -p "$d" "$DH/keystone/fernet-keys" "$DH/keystone/credential-keys"
  chmod 700 "$DH/keystone/fernet-keys" "$DH/keystone/credential-keys"
  write_file "$d/keystone.conf" 640 <<EOF
[DEFAULT]
log_file = $(log_file keystone)
use_stderr = false
[database]
connection = $(db_url keystone "$KEYSTONE_DB_PASSWORD")
max_pool_size = 10
max_overflow = 20
[token]
provider = fernet
expiration = 14400
[fernet_tokens]
key_repository = $DH/keystone/fernet-keys
[fernet_receipts]
key_repository = $DH/keystone/fernet-keys
[credential]
key_repository = $DH/keystone/credential-keys
[identity]
# Test cloud only: cheap bcrypt so logins do not eat the CPU.
password_hash_rounds = 4
[cache]
enabled = true
backend = dogpile.cache.memcached
memcache_servers = 127.0.0.1:11211
EOF
  write_file "$d/uwsgi.ini" <<EOF
[uwsgi]
plugins = python3
http-socket = 127.0.0.1:5000
wsgi-file = /usr/bin/keystone-wsgi-public
env = OS_KEYSTONE_CONFIG_FILES=$d/keystone.conf
master = true
processes = 2
threads = 4
enable-threads = true
lazy-apps = true
need-app = true
die-on-term = true
buffer-size = 65535
# uwsgi closes the socket after each response: say so, or keep-alive clients get ECONNRESET.
add-header = Connection: close
disable-logging = false
EOF
}

setup_keystone() {
  ensure_db keystone "$KEYSTONE_DB_PASSWORD"
  local ks=(keystone-manage --config-file "$ETC/keystone/keystone.conf")
  if ! marker_done keystone-db; then
    say "keystone: db_sync"
    "${ks[@]}" db_sync >>"$(log_file keystone)" 2>&1 || die "keystone db_sync failed; see $(log_file keystone)"
    marker_set keystone-db
  fi
  [[ -f "$DH/keystone/fernet-keys/0" ]] ||
    "${ks[@]}" fernet_setup --keystone-user root --keystone-group root >>"$(log_file keystone)" 2>&1
  [[ -f "$DH/keystone/credential-keys/0" ]] ||
    "${ks[@]}" credential_setup --keystone-user root --keystone-group root >>"$(log_file keystone)" 2>&1
  if ! marker_done keystone-bootstrap; then
    say "keystone: bootstrap (admin, region, identity endpoints)"
    # Password through the environment, not argv (visible in ps).
    OS_BOOTSTRAP_PASSWORD="$ADMIN_PASSWORD" "${ks[@]}" bootstrap \
      --bootstrap-username admin --bootstrap-project-name admin --bootstrap-role-name admin \
      --bootstrap-region-id RegionOne \
      --bootstrap-admin-url "$KEYSTONE_URL/" --bootstrap-internal-url "$KEYSTONE_URL/" \
      --bootstrap-public-url "$KEYSTONE_URL/" >>"$(log_file keystone)" 2>&1 ||
      die "keystone bootstrap failed; see $(log_file keystone)"
    marker_set keystone-bootstrap
  fi
}

start_keystone() { daemon_start keystone uwsgi --ini "$ETC/keystone/uwsgi.ini"; }
check_keystone() { http_ok "$KEYSTONE_URL" 200; }
endpoint_keystone() { printf '%s' "$KEYSTONE_URL"; }
