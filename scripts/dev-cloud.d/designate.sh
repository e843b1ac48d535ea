# shellcheck shell=bash
# Designate (DNS as a service): API on 127.0.0.1:9001, central, worker, producer, mini-DNS on
# 127.0.0.1:5354, and BIND 9 as the real DNS server backend on 127.0.0.1:5322 (not 53: a local
# resolver may own it), driven by the worker through rndc on 127.0.0.1:5323. A zone created
# through the API is added to BIND with `rndc addzone`, transferred from mini-DNS and answers
# queries (`dig @127.0.0.1 -p 5322 <zone> SOA`). RabbitMQ for RPC, MariaDB.

DESIGNATE_PACKAGES=(designate-api designate-central designate-worker designate-producer designate-mdns
  bind9 bind9-utils bind9-dnsutils rabbitmq-server python3-keystonemiddleware)
DESIGNATE_URL=http://127.0.0.1:9001
DESIGNATE_DAEMONS=(named designate-central designate-worker designate-producer designate-mdns designate-api)
DNS_PORT=5322
RNDC_PORT=5323
MDNS_PORT=5354
# The pool Designate's db sync creates; pools.yaml updates it to point at our BIND.
DESIGNATE_POOL_ID=794ccc2c-d751-44fe-b57f-8894c9f5c842

configure_designate() {
  local d="$ETC/designate" b="$ETC/bind"
  mkdir -p "$d" "$b" "$DH/designate/lock" "$DH/bind/zones"
  # rndc's shared key: the secret is base64 (a 24-character alphanumeric secret is valid base64).
  write_file "$b/rndc.key" 600 <<EOF
key "devcloud-rndc" {
  algorithm hmac-sha256;
  secret "$RNDC_SECRET";
};
EOF
  write_file "$b/rndc.conf" 600 <<EOF
include "$b/rndc.key";
options {
  default-key "devcloud-rndc";
  default-server 127.0.0.1;
  default-port $RNDC_PORT;
};
EOF
  # Authoritative only, loopback only; zones are added at run time (allow-new-zones).
  write_file "$b/named.conf" 640 <<EOF
include "$b/rndc.key";
options {
  directory "$DH/bind/zones";
  pid-file "$RUN_DIR/named.own.pid";
  session-keyfile "$RUN_DIR/named.session.key";
  listen-on port $DNS_PORT { 127.0.0.1; };
  listen-on-v6 { none; };
  allow-new-zones yes;
  allow-query { 127.0.0.1; };
  allow-notify { 127.0.0.1; };
  allow-transfer { none; };
  recursion no;
  notify no;
  dnssec-validation no;
  querylog no;
};
controls {
  inet 127.0.0.1 port $RNDC_PORT allow { 127.0.0.1; } keys { "devcloud-rndc"; };
};
EOF
  write_file "$d/pools.yaml" <<EOF
- name: default
  id: $DESIGNATE_POOL_ID
  description: dev cloud pool (BIND 9 on loopback)
  attributes: {}
  ns_records:
    - hostname: ns1.devcloud.test.
      priority: 1
  nameservers:
    - host: 127.0.0.1
      port: $DNS_PORT
  targets:
    - type: bind9
      description: BIND 9 on 127.0.0.1:$DNS_PORT
      masters:
        - host: 127.0.0.1
          port: $MDNS_PORT
      options:
        host: 127.0.0.1
        port: $DNS_PORT
        rndc_host: 127.0.0.1
        rndc_port: $RNDC_PORT
        rndc_config_file: $b/rndc.conf
EOF
  write_file "$d/designate.conf" 640 <<EOF
[DEFAULT]
state_path = $DH/designate
use_stderr = false
transport_url = $(rabbit_url)
root_helper =
# Parallel checks each create zones; deletions take a moment to finish.
quota_zones = 200
quota_zone_recordsets = 1000
[service:api]
listen = 127.0.0.1:9001
api_base_uri = $DESIGNATE_URL/
auth_strategy = keystone
enable_api_v2 = true
enable_api_admin = true
enabled_extensions_admin = quotas
workers = 1
api_paste_config = /etc/designate/api-paste.ini
[service:central]
workers = 1
[service:worker]
workers = 1
# A zone is ACTIVE once BIND serves its serial: poll soon and often.
poll_delay = 1
poll_retry_interval = 1
poll_max_retries = 60
poll_timeout = 5
[service:producer]
workers = 1
[service:mdns]
listen = 127.0.0.1:$MDNS_PORT
workers = 1
[storage:sqlalchemy]
connection = $(db_url designate "$DESIGNATE_DB_PASSWORD")
max_pool_size = 5
max_overflow = 20
$(keystone_authtoken_section designate "$DESIGNATE_PASSWORD")
[oslo_messaging_notifications]
driver = noop
[oslo_concurrency]
lock_path = $DH/designate/lock
[oslo_policy]
enforce_new_defaults = false
enforce_scope = false
EOF
}

setup_designate() {
  ensure_db designate "$DESIGNATE_DB_PASSWORD"
  if ! marker_done designate-db; then
    say "designate: database sync"
    designate-manage --config-file "$ETC/designate/designate.conf" database sync >>"$(log_file designate-manage)" 2>&1 ||
      die "designate-manage database sync failed; see $(log_file designate-manage)"
    marker_set designate-db
  fi
}

# Points the default pool at our BIND (needs central up: designate-manage talks to it by RPC).
designate_pools() {
  local sum
  sum=$(md5sum <"$ETC/designate/pools.yaml" | cut -c1-32)
  [[ -f "$DH/markers/designate-pools" && "$(<"$DH/markers/designate-pools")" == "$sum" ]] && return 0
  say "designate: pool update (BIND 9 target)"
  designate-manage --config-file "$ETC/designate/designate.conf" pool update --file "$ETC/designate/pools.yaml" \
    >>"$(log_file designate-manage)" 2>&1 || die "designate-manage pool update failed; see $(log_file designate-manage)"
  mkdir -p "$DH/markers"
  printf '%s' "$sum" >"$DH/markers/designate-pools"
}

designate_cmd() { daemon_start "$1" "$1" --config-file "$ETC/designate/designate.conf"; }
start_named() { daemon_start named /usr/sbin/named -g -u root -c "$ETC/bind/named.conf"; }
start_designate_api() { designate_cmd designate-api; }
start_designate_central() { designate_cmd designate-central; }
start_designate_worker() { designate_cmd designate-worker; }
start_designate_producer() { designate_cmd designate-producer; }
start_designate_mdns() { designate_cmd designate-mdns; }
check_named() { cmd_ok rndc -c "$ETC/bind/rndc.conf" status; }
check_designate_api() { http_ok "$DESIGNATE_URL/" 200 300; }
check_designate_central() { daemon_alive designate-central; }
check_designate_worker() { daemon_alive designate-worker; }
check_designate_producer() { daemon_alive designate-producer; }
check_designate_mdns() { tcp_ok "$MDNS_PORT"; }
endpoint_named() { printf 'dns:127.0.0.1:%s rndc:127.0.0.1:%s' "$DNS_PORT" "$RNDC_PORT"; }
endpoint_designate_api() { printf '%s/v2' "$DESIGNATE_URL"; }
endpoint_designate_central() { printf 'rpc:central'; }
endpoint_designate_worker() { printf 'rpc:worker (bind9 via rndc)'; }
endpoint_designate_producer() { printf 'rpc:producer'; }
endpoint_designate_mdns() { printf 'dns:127.0.0.1:%s (AXFR source)' "$MDNS_PORT"; }
