# shellcheck shell=bash
# Neutron server (ML2, no agents: networks, subnets, ports, routers are database objects)
# on 127.0.0.1:9696, MariaDB, in-process fake RPC transport (no message broker); ports bind
# through our one-file mechanism driver (python/devcloud_ml2.py, on neutron-server's PYTHONPATH).

NEUTRON_PACKAGES=(neutron-server python3-keystonemiddleware)
NEUTRON_URL=http://127.0.0.1:9696

configure_neutron() {
  local d="$ETC/neutron"
  mkdir -p "$d" "$DH/neutron/lock"
  write_file "$d/neutron.conf" 640 <<EOF
[DEFAULT]
bind_host = 127.0.0.1
bind_port = 9696
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
log_file = $(log_file neutron-server)
use_stderr = false
state_path = $DH/neutron
api_paste_config = /etc/neutron/api-paste.ini
auth_strategy = keystone
core_plugin = ml2
service_plugins = router
allow_overlapping_ips = true
dhcp_agent_notification = false
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
# No broker: RPC stays inside the process (there are no agents to talk to).
transport_url = fake://
[oslo_messaging_notifications]
driver = noop
[quotas]
# Parallel checks in one project each make their own security groups (the default is 10).
quota_security_group = 50
quota_security_group_rule = 500
[database]
connection = $(db_url neutron "$NEUTRON_DB_PASSWORD")
$(keystone_authtoken_section neutron "$NEUTRON_PASSWORD")
[oslo_concurrency]
lock_path = $DH/neutron/lock
[agent]
root_helper =
EOF
  write_file "$d/ml2_conf.ini" <<EOF
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
# Our binder (python/devcloud_ml2.py): with no agents no stock driver can bind a port.
mechanism_drivers = devcloud_bindall
extension_drivers = port_security
[ml2_type_flat]
flat_networks = public
[ml2_type_vxlan]
vni_ranges = 1:1000
[securitygroup]
enable_security_group = true
EOF
  install_python_helpers
}


setup_neutron() {
  ensure_db neutron "$NEUTRON_DB_PASSWORD"
  if ! marker_done neutron-db; then
    say "neutron: db upgrade (takes a minute)"
    neutron-db-manage --config-file "$ETC/neutron/neutron.conf" --config-file "$ETC/neutron/ml2_conf.ini" \
      upgrade heads >>"$(log_file neutron-server)" 2>&1 || die "neutron db upgrade failed; see $(log_file neutron-server)"
    marker_set neutron-db
  fi
}

start_neutron_server() {
  daemon_start neutron-server env PYTHONPATH="$DH/python" neutron-server --config-file "$ETC/neutron/neutron.conf" \
    --config-file "$ETC/neutron/ml2_conf.ini"
}
check_neutron_server() { http_ok "$NEUTRON_URL/" 200; }
endpoint_neutron_server() { printf '%s/v2.0' "$NEUTRON_URL"; }
