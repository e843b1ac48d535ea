# shellcheck shell=bash
# Cinder: API (eventlet server) on 127.0.0.1:8776, scheduler, and a volume service with a fake
# backend (python/devcloud_cinder.py: Cinder's in-tree FakeLoggingVolumeDriver, which stores no
# bytes, plus image copies). RabbitMQ for RPC, MariaDB.

CINDER_PACKAGES=(cinder-api cinder-scheduler python3-cinder rabbitmq-server python3-keystonemiddleware)
CINDER_URL=http://127.0.0.1:8776
CINDER_DAEMONS=(cinder-api cinder-scheduler cinder-volume)
# Created by Cinder's own db sync; the default for volumes created without a type.
CINDER_DEFAULT_TYPE=__DEFAULT__

configure_cinder() {
  local d="$ETC/cinder"
  mkdir -p "$d" "$DH/cinder/lock" "$DH/cinder/volumes"
  write_file "$d/cinder.conf" 640 <<EOF
[DEFAULT]
host = $NOVA_HOST
my_ip = 127.0.0.1
state_path = $DH/cinder
use_stderr = false
transport_url = $(rabbit_url)
auth_strategy = keystone
osapi_volume_listen = 127.0.0.1
osapi_volume_listen_port = 8776
osapi_volume_workers = 1
api_paste_config = /etc/cinder/api-paste.ini
glance_api_servers = http://127.0.0.1:9292
enabled_backends = fake
default_volume_type = $CINDER_DEFAULT_TYPE
# Room for ~20 concurrent volumes/snapshots per project in parallel test runs.
quota_volumes = 50
quota_snapshots = 50
quota_gigabytes = 2000
quota_backups = 50
quota_backup_gigabytes = 2000
[database]
connection = $(db_url cinder "$CINDER_DB_PASSWORD")
max_pool_size = 5
max_overflow = 20
$(keystone_authtoken_section cinder "$CINDER_PASSWORD")
service_token_roles_required = true
$(auth_section nova cinder "$CINDER_PASSWORD")
interface = public
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = $DH/cinder/lock
[fake]
volume_driver = devcloud_cinder.FakeImageVolumeDriver
volume_backend_name = fake
volumes_dir = $DH/cinder/volumes
EOF
  install_python_helpers
}

setup_cinder() {
  ensure_db cinder "$CINDER_DB_PASSWORD"
  if ! marker_done cinder-db; then
    say "cinder: db sync"
    cinder-manage --config-file "$ETC/cinder/cinder.conf" db sync >>"$(log_file cinder-manage)" 2>&1 ||
      die "cinder-manage db sync failed; see $(log_file cinder-manage)"
    marker_set cinder-db
  fi
}

start_cinder_api() { daemon_start cinder-api cinder-api --config-file "$ETC/cinder/cinder.conf"; }
start_cinder_scheduler() { daemon_start cinder-scheduler cinder-scheduler --config-file "$ETC/cinder/cinder.conf"; }
start_cinder_volume() {
  # python3-cinder has the service but not the cinder-volume script (that package pulls LVM,
  # tgt and iSCSI, none of which work here).
  daemon_start cinder-volume env PYTHONPATH="$DH/python" /usr/bin/python3 -c \
    'import sys; from cinder.cmd.volume import main; sys.exit(main())' \
    --config-file "$ETC/cinder/cinder.conf"
}
check_cinder_api() { http_ok "$CINDER_URL/" 200 300; }
check_cinder_scheduler() { daemon_alive cinder-scheduler; }
check_cinder_volume() { daemon_alive cinder-volume; }
endpoint_cinder_api() { printf '%s/v3' "$CINDER_URL"; }
endpoint_cinder_scheduler() { printf 'rpc:cinder-scheduler'; }
endpoint_cinder_volume() { printf 'rpc:cinder-volume %s@fake (fake driver)' "$NOVA_HOST"; }
