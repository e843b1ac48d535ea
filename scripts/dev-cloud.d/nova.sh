# shellcheck shell=bash
# Nova: nova-api under uwsgi on 127.0.0.1:8774 (threads = 1: it is eventlet-patched), conductor,
# scheduler and nova-compute with a fake hypervisor (nothing runs; the API, scheduler, RPC,
# placement, network and volume paths are real). RabbitMQ for RPC; cells v2 with cell0 + cell1.

NOVA_PACKAGES=(nova-api nova-conductor nova-scheduler python3-nova rabbitmq-server
  python3-keystonemiddleware uwsgi-core uwsgi-plugin-python3)
NOVA_URL=http://127.0.0.1:8774
NOVA_DAEMONS=(nova-api nova-conductor nova-scheduler nova-compute)
# Compute host name, stable across machines (hypervisor and service records carry it).
NOVA_HOST=devcloud

# auth_section NAME USER PASSWORD: keystoneauth password settings for a service-to-service client.
auth_section() {
  cat <<EOF
[$1]
auth_type = password
auth_url = http://127.0.0.1:5000
user_domain_name = Default
project_domain_name = Default
project_name = service
username = $2
password = $3
region_name = RegionOne
EOF
}

# Everything but the databases: nova-compute must not get DB credentials.
nova_conf_common() {
  cat <<EOF
[DEFAULT]
host = $NOVA_HOST
my_ip = 127.0.0.1
state_path = $DH/nova
instances_path = $DH/nova/instances
use_stderr = false
transport_url = $(rabbit_url)
enabled_apis = osapi_compute
osapi_compute_listen = 127.0.0.1
metadata_listen = 127.0.0.1
# Our FakeDriver subclass (python/nova_virt/devcloud_fake.py): snapshots upload an image.
compute_driver = devcloud_fake.SnapshotFakeDriver
# Single host: resize and migrate land on the same host; the fake host is never full.
allow_resize_to_same_host = true
cpu_allocation_ratio = 64.0
ram_allocation_ratio = 16.0
disk_allocation_ratio = 16.0
initial_cpu_allocation_ratio = 64.0
initial_ram_allocation_ratio = 16.0
initial_disk_allocation_ratio = 16.0
# No agent ever reports a VIF plugged.
vif_plugging_is_fatal = false
vif_plugging_timeout = 0
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = $ETC/nova/api-paste.ini
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 30
[quota]
instances = 40
cores = 80
ram = 163840
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = $DH/nova/lock
[vnc]
enabled = false
[spice]
enabled = false
[glance]
region_name = RegionOne
$(keystone_authtoken_section nova "$NOVA_PASSWORD")
$(auth_section placement nova "$NOVA_PASSWORD")
valid_interfaces = public
$(auth_section neutron nova "$NOVA_PASSWORD")
valid_interfaces = public
$(auth_section cinder nova "$NOVA_PASSWORD")
os_region_name = RegionOne
catalog_info = volumev3::publicURL
# Cinder accepts detach (and other calls on the user's behalf) only with a service token.
$(auth_section service_user nova "$NOVA_PASSWORD")
send_service_user_token = true
EOF
}

configure_nova() {
  local d="$ETC/nova"
  mkdir -p "$d" "$DH/nova/instances" "$DH/nova/lock" "$DH/python"
  { nova_conf_common; cat <<EOF
[api_database]
connection = $(db_url nova_api "$NOVA_DB_PASSWORD")
max_pool_size = 5
max_overflow = 20
[database]
connection = $(db_url nova "$NOVA_DB_PASSWORD")
max_pool_size = 5
max_overflow = 20
EOF
  } | write_file "$d/nova.conf" 640
  nova_conf_common | write_file "$d/nova-compute.conf" 640
  write_file "$d/api-paste.ini" </etc/nova/api-paste.ini
  uwsgi_ini 8774 /usr/bin/nova-api-wsgi 3 1 "OS_NOVA_CONFIG_DIR=$d" "OS_NOVA_CONFIG_FILES=api-paste.ini;nova.conf" |
    write_file "$d/uwsgi.ini"
  install_python_helpers
}

# Our small Python modules (ML2 binder, fake drivers) live under the state dir.
install_python_helpers() {
  local src="$SCRIPT_DIR/dev-cloud.d/python" f
  mkdir -p "$DH/python/nova_virt"
  for f in devcloud_ml2.py devcloud_nova_compute.py devcloud_cinder.py nova_virt/devcloud_fake.py; do
    write_file "$DH/python/$f" <"$src/$f"
  done
  # An entry point, so ML2's stevedore loader finds mechanism driver "devcloud_bindall".
  mkdir -p "$DH/python/devcloud_ml2-1.0.dist-info"
  write_file "$DH/python/devcloud_ml2-1.0.dist-info/METADATA" <<<$'Metadata-Version: 2.1\nName: devcloud-ml2\nVersion: 1.0'
  write_file "$DH/python/devcloud_ml2-1.0.dist-info/entry_points.txt" <<<$'[neutron.ml2.mechanism_drivers]\ndevcloud_bindall = devcloud_ml2:BindAllMechanismDriver'
}

nova_manage() { nova-manage --config-file "$ETC/nova/nova.conf" "$@"; }

setup_nova() {
  local db log
  log=$(log_file nova-manage)
  for db in nova_api nova nova_cell0; do ensure_db "$db" "$NOVA_DB_PASSWORD"; done
  if ! marker_done nova-db; then
    say "nova: api_db sync, cells v2 (cell0, cell1), db sync"
    nova_manage api_db sync >>"$log" 2>&1 || die "nova-manage api_db sync failed; see $log"
    nova_manage cell_v2 map_cell0 --database_connection "$(db_url nova_cell0 "$NOVA_DB_PASSWORD")" >>"$log" 2>&1 ||
      die "nova-manage cell_v2 map_cell0 failed; see $log"
    if ! nova_manage cell_v2 list_cells 2>>"$log" | grep -q ' cell1 '; then
      nova_manage cell_v2 create_cell --name cell1 >>"$log" 2>&1 || die "nova-manage cell_v2 create_cell failed; see $log"
    fi
    nova_manage db sync >>"$log" 2>&1 || die "nova-manage db sync failed; see $log"
    marker_set nova-db
  fi
}

# Map the compute host into cell1 (needed once per new host; cheap when there is nothing new).
nova_discover_hosts() {
  nova_manage cell_v2 discover_hosts >>"$(log_file nova-manage)" 2>&1 ||
    die "nova-manage cell_v2 discover_hosts failed; see $(log_file nova-manage)"
}

start_nova_api() { daemon_start nova-api uwsgi --ini "$ETC/nova/uwsgi.ini"; }
start_nova_conductor() { daemon_start nova-conductor nova-conductor --config-file "$ETC/nova/nova.conf"; }
start_nova_scheduler() { daemon_start nova-scheduler nova-scheduler --config-file "$ETC/nova/nova.conf"; }
start_nova_compute() {
  daemon_start nova-compute /usr/bin/python3 "$DH/python/devcloud_nova_compute.py" \
    --config-file "$ETC/nova/nova-compute.conf"
}
check_nova_api() { http_ok "$NOVA_URL/" 200; }
# RPC services have no port: alive is all `status` can tell; `start` waits for them through
# the API (os-services up, hypervisor mapped) in provision.py compute.
check_nova_conductor() { daemon_alive nova-conductor; }
check_nova_scheduler() { daemon_alive nova-scheduler; }
check_nova_compute() { daemon_alive nova-compute; }
endpoint_nova_api() { printf '%s/v2.1' "$NOVA_URL"; }
endpoint_nova_conductor() { printf 'rpc:conductor'; }
endpoint_nova_scheduler() { printf 'rpc:scheduler'; }
endpoint_nova_compute() { printf 'rpc:compute.%s (fake driver)' "$NOVA_HOST"; }
