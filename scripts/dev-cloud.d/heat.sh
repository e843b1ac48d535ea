# shellcheck shell=bash
# Heat (Orchestration): heat-api on 127.0.0.1:8004 (v1), heat-api-cfn on 127.0.0.1:8000 and one
# heat-engine. Stack users (of servers and software deployments) live in a `heat` domain
# administered by heat_domain_admin; their EC2 keys sign the CFN_SIGNAL URLs of deployments and
# wait conditions, which heat-api-cfn checks against Keystone's /v3/ec2tokens. Those URLs point
# at 127.0.0.1:8000, so whoever signals (a test standing in for a server's agent) stays on
# loopback. Keystone admits /v3/ec2tokens only to services now, which this heat-api-cfn predates:
# it asks through heat-ec2auth (python/devcloud_ec2auth.py, 127.0.0.1:5002), which adds Heat's
# service token as newer Heat does. RabbitMQ for RPC, MariaDB.

HEAT_PACKAGES=(heat-api heat-api-cfn heat-engine rabbitmq-server python3-keystonemiddleware)
HEAT_URL=http://127.0.0.1:8004
HEAT_CFN_URL=http://127.0.0.1:8000
HEAT_EC2AUTH_URL=http://127.0.0.1:5002
HEAT_DAEMONS=(heat-engine heat-api heat-ec2auth heat-api-cfn)

configure_heat() {
  local d="$ETC/heat"
  mkdir -p "$d" "$DH/heat/lock" "$DH/python"
  write_file "$DH/python/devcloud_ec2auth.py" <"$SCRIPT_DIR/dev-cloud.d/python/devcloud_ec2auth.py"
  write_file "$d/heat.conf" 640 <<EOF
[DEFAULT]
host = $NOVA_HOST
state_path = $DH/heat
use_stderr = false
transport_url = $(rabbit_url)
num_engine_workers = 1
# A stack of many software deployments keeps the one engine busy (nested stacks, stack users) on
# two shared cores: its calls to itself may wait longer than oslo.messaging's default 60 s.
rpc_response_timeout = 300
region_name_for_services = RegionOne
# heat-api-cfn (below): pre-signed signal URLs are built from the wait-condition URL.
heat_metadata_server_url = $HEAT_CFN_URL
heat_waitcondition_server_url = $HEAT_CFN_URL/v1/waitcondition
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $HEAT_DOMAIN_PASSWORD
deferred_auth_method = trusts
[heat_api]
bind_host = 127.0.0.1
bind_port = 8004
workers = 1
[heat_api_cfn]
bind_host = 127.0.0.1
bind_port = 8000
workers = 1
[ec2authtoken]
# Where heat-api-cfn has the signatures of pre-signed URLs checked (POST /v3/ec2tokens): Keystone
# through heat-ec2auth, which authenticates the call as the heat service user.
auth_uri = $HEAT_EC2AUTH_URL/v3
[database]
connection = $(db_url heat "$HEAT_DB_PASSWORD")
max_pool_size = 5
max_overflow = 20
$(keystone_authtoken_section heat "$HEAT_PASSWORD")
[trustee]
auth_type = password
auth_url = http://127.0.0.1:5000
username = heat
password = $HEAT_PASSWORD
user_domain_name = Default
[clients_keystone]
auth_uri = http://127.0.0.1:5000
[clients]
endpoint_type = public
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = $DH/heat/lock
[paste_deploy]
api_paste_config = /etc/heat/api-paste.ini
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOF
}

setup_heat() {
  ensure_db heat "$HEAT_DB_PASSWORD"
  if ! marker_done heat-db; then
    say "heat: db_sync"
    heat-manage --config-file "$ETC/heat/heat.conf" db_sync >>"$(log_file heat-manage)" 2>&1 ||
      die "heat-manage db_sync failed; see $(log_file heat-manage)"
    marker_set heat-db
  fi
}

start_heat_api() { daemon_start heat-api heat-api --config-file "$ETC/heat/heat.conf"; }
start_heat_ec2auth() { daemon_start heat-ec2auth /usr/bin/python3 "$DH/python/devcloud_ec2auth.py" "$ETC/heat/heat.conf"; }
start_heat_api_cfn() { daemon_start heat-api-cfn heat-api-cfn --config-file "$ETC/heat/heat.conf"; }
start_heat_engine() { daemon_start heat-engine heat-engine --config-file "$ETC/heat/heat.conf"; }
check_heat_api() { http_ok "$HEAT_URL/" 200 300; }
# Keystone's version list, through the forwarder.
check_heat_ec2auth() { http_ok "$HEAT_EC2AUTH_URL/" 200 300; }
check_heat_api_cfn() { http_ok "$HEAT_CFN_URL/" 200 300; }
check_heat_engine() { daemon_alive heat-engine; }
endpoint_heat_api() { printf '%s/v1' "$HEAT_URL"; }
endpoint_heat_ec2auth() { printf '%s/v3/ec2tokens (to keystone, as heat)' "$HEAT_EC2AUTH_URL"; }
endpoint_heat_api_cfn() { printf '%s/v1' "$HEAT_CFN_URL"; }
endpoint_heat_engine() { printf 'rpc:engine'; }
