# shellcheck shell=bash
# Swift, SAIO style: 1 replica, one device dir, servers on 127.0.0.1, logs via private syslog.

SWIFT_PACKAGES=(swift swift-proxy swift-account swift-container swift-object swift-object-expirer
  python3-keystonemiddleware memcached rsyslog)
SWIFT_URL=http://127.0.0.1:8080
SWIFT_DAEMONS=(swift-account swift-container swift-object swift-proxy swift-container-updater
  swift-object-updater swift-object-expirer)
# ring name -> storage server port
declare -A SWIFT_PORT=([object]=6200 [container]=6201 [account]=6202)

swift_common_default() { # $1 = log_name
  cat <<EOF
user = root
swift_dir = $ETC/swift
devices = $DH/swift/node
mount_check = false
recon_cache_path = $DH/swift/cache
log_name = $1
log_facility = LOG_LOCAL0
log_address = $(SYSLOG_SOCK)
log_level = INFO
EOF
}

# The storage device must keep user xattrs (Swift stores object metadata in them).
check_xattrs() {
  /usr/bin/python3 - "$1" <<'EOF' || die "filesystem of $1 has no user xattr support; set DEVCLOUD_HOME to a dir on ext4/xfs"
import os, sys
p = os.path.join(sys.argv[1], ".xattr-probe")
open(p, "w").close()
try:
    os.setxattr(p, "user.devcloud", b"1")
finally:
    os.unlink(p)
EOF
}

# Swift servers only read swift.conf from /etc/swift: point it at this state dir's (on every
# start too, in case another DEVCLOUD_HOME was used in between).
link_swift_conf() {
  local want="$ETC/swift/swift.conf"
  mkdir -p /etc/swift
  [[ "$(readlink /etc/swift/swift.conf 2>/dev/null)" == "$want" ]] && return 0
  if [[ -f /etc/swift/swift.conf && ! -L /etc/swift/swift.conf ]]; then
    mv -f /etc/swift/swift.conf /etc/swift/swift.conf.before-devcloud
  fi
  ln -sfn "$want" /etc/swift/swift.conf
}

configure_swift() {
  local d="$ETC/swift" t
  mkdir -p "$d" "$DH/swift/node/d1" "$DH/swift/cache"
  check_xattrs "$DH/swift/node/d1"
  write_file "$d/swift.conf" <<EOF
[swift-hash]
swift_hash_path_suffix = $SWIFT_HASH_SUFFIX
swift_hash_path_prefix = $SWIFT_HASH_PREFIX

[storage-policy:0]
name = Policy-0
default = yes

[swift-constraints]
EOF
  link_swift_conf
  write_file "$d/container-sync-realms.conf" <<<'# no realms'
  write_file "$d/account-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${SWIFT_PORT[account]}
workers = 1
$(swift_common_default swift-account)

[pipeline:main]
pipeline = healthcheck recon account-server

[app:account-server]
use = egg:swift#account

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:recon]
use = egg:swift#recon

[account-replicator]
[account-auditor]
[account-reaper]
EOF
  write_file "$d/container-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${SWIFT_PORT[container]}
workers = 1
$(swift_common_default swift-container)

[pipeline:main]
pipeline = healthcheck recon container-server

[app:container-server]
use = egg:swift#container
allow_versions = true

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:recon]
use = egg:swift#recon

[container-replicator]
[container-auditor]
[container-sync]
[container-sharder]

[container-updater]
log_name = swift-container-updater
# Object counts and bytes reach the account only when the updater runs; no check waits
# for that (container create/delete reach the account at once), and a pass walks every
# container database, deleted ones included. Every 5 s with four workers it kept both
# cores busy on an idle cloud after a few runs and slowed every test.
interval = 60
concurrency = 1
EOF
  write_file "$d/object-server.conf" <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = ${SWIFT_PORT[object]}
workers = 1
$(swift_common_default swift-object)

[pipeline:main]
pipeline = healthcheck recon object-server

[app:object-server]
use = egg:swift#object

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:recon]
use = egg:swift#recon

[object-replicator]
[object-reconstructor]
[object-auditor]

[object-updater]
log_name = swift-object-updater
# Only replays updates that failed; see container-updater for why not every 5 s.
interval = 60
concurrency = 1
EOF
  write_file "$d/object-expirer.conf" <<EOF
[DEFAULT]
$(swift_common_default swift-object-expirer)

[object-expirer]
interval = 5

[pipeline:main]
pipeline = catch_errors proxy-logging cache proxy-server

[app:proxy-server]
use = egg:swift#proxy

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:11211

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:proxy-logging]
use = egg:swift#proxy_logging
EOF
  write_file "$d/proxy-server.conf" 640 <<EOF
[DEFAULT]
bind_ip = 127.0.0.1
bind_port = 8080
workers = 2
expose_info = true
$(swift_common_default swift-proxy)

[pipeline:main]
pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats container_sync bulk tempurl ratelimit crossdomain formpost authtoken keystoneauth staticweb copy container-quotas account-quotas slo dlo versioned_writes symlink proxy-logging proxy-server

[app:proxy-server]
use = egg:swift#proxy
account_autocreate = true

[filter:authtoken]
paste.filter_factory = keystonemiddleware.auth_token:filter_factory
www_authenticate_uri = http://127.0.0.1:5000
auth_url = http://127.0.0.1:5000
auth_type = password
user_domain_name = Default
project_domain_name = Default
project_name = service
username = swift
password = $SWIFT_PASSWORD
region_name = RegionOne
interface = public
delay_auth_decision = true
memcached_servers = 127.0.0.1:11211
cache = swift.cache
include_service_catalog = false

[filter:keystoneauth]
use = egg:swift#keystoneauth
operator_roles = admin, member, swiftoperator
reseller_admin_role = ResellerAdmin

[filter:catch_errors]
use = egg:swift#catch_errors

[filter:gatekeeper]
use = egg:swift#gatekeeper

[filter:healthcheck]
use = egg:swift#healthcheck

[filter:proxy-logging]
use = egg:swift#proxy_logging

[filter:cache]
use = egg:swift#memcache
memcache_servers = 127.0.0.1:11211

[filter:listing_formats]
use = egg:swift#listing_formats

[filter:container_sync]
use = egg:swift#container_sync

[filter:bulk]
use = egg:swift#bulk

[filter:tempurl]
use = egg:swift#tempurl

[filter:ratelimit]
use = egg:swift#ratelimit

[filter:crossdomain]
use = egg:swift#crossdomain

[filter:formpost]
use = egg:swift#formpost

[filter:staticweb]
use = egg:swift#staticweb

[filter:copy]
use = egg:swift#copy

[filter:container-quotas]
use = egg:swift#container_quotas

[filter:account-quotas]
use = egg:swift#account_quotas

[filter:slo]
use = egg:swift#slo

[filter:dlo]
use = egg:swift#dlo

[filter:versioned_writes]
use = egg:swift#versioned_writes
allow_versioned_writes = true

[filter:symlink]
use = egg:swift#symlink
EOF
}

setup_swift() {
  local d="$ETC/swift" t
  for t in account container object; do
    [[ -s "$d/$t.ring.gz" ]] && continue
    say "swift: building $t ring"
    (
      cd "$d"
      rm -f "$t.builder"
      swift-ring-builder "$t.builder" create 10 1 1 >/dev/null
      swift-ring-builder "$t.builder" add "r1z1-127.0.0.1:${SWIFT_PORT[$t]}/d1" 100 >/dev/null
      swift-ring-builder "$t.builder" rebalance >/dev/null || true
    )
    [[ -s "$d/$t.ring.gz" ]] || die "could not build the swift $t ring in $d"
  done
}

start_swift_account() { daemon_start swift-account swift-account-server "$ETC/swift/account-server.conf"; }
start_swift_container() { daemon_start swift-container swift-container-server "$ETC/swift/container-server.conf"; }
start_swift_object() { daemon_start swift-object swift-object-server "$ETC/swift/object-server.conf"; }
start_swift_proxy() { daemon_start swift-proxy swift-proxy-server "$ETC/swift/proxy-server.conf"; }
start_swift_container_updater() { daemon_start swift-container-updater swift-container-updater "$ETC/swift/container-server.conf"; }
start_swift_object_updater() { daemon_start swift-object-updater swift-object-updater "$ETC/swift/object-server.conf"; }
start_swift_object_expirer() { daemon_start swift-object-expirer swift-object-expirer "$ETC/swift/object-expirer.conf"; }

check_swift_account() { http_ok "http://127.0.0.1:${SWIFT_PORT[account]}/healthcheck"; }
check_swift_container() { http_ok "http://127.0.0.1:${SWIFT_PORT[container]}/healthcheck"; }
check_swift_object() { http_ok "http://127.0.0.1:${SWIFT_PORT[object]}/healthcheck"; }
check_swift_proxy() { http_ok "$SWIFT_URL/healthcheck" && http_ok "$SWIFT_URL/info"; }
check_swift_container_updater() { daemon_alive swift-container-updater; }
check_swift_object_updater() { daemon_alive swift-object-updater; }
check_swift_object_expirer() { daemon_alive swift-object-expirer; }

endpoint_swift_account() { printf 'http://127.0.0.1:%s' "${SWIFT_PORT[account]}"; }
endpoint_swift_container() { printf 'http://127.0.0.1:%s' "${SWIFT_PORT[container]}"; }
endpoint_swift_object() { printf 'http://127.0.0.1:%s' "${SWIFT_PORT[object]}"; }
endpoint_swift_proxy() { printf '%s/v1' "$SWIFT_URL"; }
endpoint_swift_container_updater() { printf 'interval 60s'; }
endpoint_swift_object_updater() { printf 'interval 60s'; }
endpoint_swift_object_expirer() { printf 'interval 5s'; }
