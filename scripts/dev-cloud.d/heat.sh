# shellcheck shell=bash
# Heat (Orchestration): heat-api on 127.0.0.1:8004 (v1) and one heat-engine. Stacks of the
# resource types the interop tests use (OS::Heat::TestResource, RandomString, None, software
# configs and deployments, nested templates) need nothing but Heat itself; stack users live
# in a `heat` domain administered by heat_domain_admin. RabbitMQ for RPC, MariaDB.

HEAT_PACKAGES=(heat-api heat-engine rabbitmq-server python3-keystonemiddleware)
HEAT_URL=http://127.0.0.1:8004
HEAT_DAEMONS=(heat-engine heat-api)

configure_heat() {
  local d="$ETC/heat"
  mkdir -p "$d" "$DH/heat/lock"
  write_file "$d/heat.conf" 640 <<EOF
[DEFAULT]
host = $NOVA_HOST
state_path = $DH/heat
use_stderr = false
transport_url = $(rabbit_url)
num_engine_workers = 1
region_name_for_services = RegionOne
# Nothing listens there (no CFN API): software deployments in the tests are signalled through
# Heat's own API, and no server ever boots to fetch metadata.
heat_metadata_server_url = http://127.0.0.1:8000
heat_waitcondition_server_url = http://127.0.0.1:8000/v1/waitcondition
stack_user_domain_name = heat
stack_domain_admin = heat_domain_admin
stack_domain_admin_password = $HEAT_DOMAIN_PASSWORD
deferred_auth_method = trusts
[heat_api]
bind_host = 127.0.0.1
bind_port = 8004
workers = 1
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
start_heat_engine() { daemon_start heat-engine heat-engine --config-file "$ETC/heat/heat.conf"; }
check_heat_api() { http_ok "$HEAT_URL/" 200 300; }
check_heat_engine() { daemon_alive heat-engine; }
endpoint_heat_api() { printf '%s/v1' "$HEAT_URL"; }
endpoint_heat_engine() { printf 'rpc:engine'; }
