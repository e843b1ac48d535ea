# shellcheck shell=bash
# Data plane: a second nova-compute (host "dataplane") whose guests are Linux namespaces
# (python/nova_virt/devcloud_namespace.py): each server gets a network namespace with its
# Neutron port's address, its own hostname, /proc/cpuinfo with the flavor's vCPUs and an SSH
# server (dropbear) that lets in the server's keypair, all taken from the config drive Nova
# writes. Only flavors asking for resources:CUSTOM_DEVCLOUD_GUEST land there (m1.guest);
# the fake host keeps serving every other flavor.
#
# Network: the guests' interfaces hang on bridge br-guests inside namespace devcloud-dp,
# which holds the gateway of the shared network "devcloud-guests" (198.18.0.1/24, from the
# benchmarking range RFC 2544 reserves) and a veth to the host (devcloud-dp0
# 198.18.255.1/30 <-> 198.18.255.2/30). The host routes 198.18.0.0/24 into that namespace
# and nowhere else: a blackhole route for 198.18.0.0/15 catches the range when the namespace
# is missing, so no guest address ever leaves the machine. (Not the external network's
# 203.0.113.0/24: sandboxes like ours may reach real services at TEST-NET addresses.)

DATAPLANE_PACKAGES=(dropbear-bin)
NOVA_DAEMONS+=(nova-dataplane)
DATAPLANE_HOST=dataplane
DP_NS=devcloud-dp
DP_BRIDGE=br-guests
DP_HOST_IF=devcloud-dp0
DP_TRANSIT_HOST=198.18.255.1
DP_TRANSIT_NS=198.18.255.2
DP_GUEST_CIDR=198.18.0.0/24
DP_GATEWAY=198.18.0.1
DP_BLACKHOLE=198.18.0.0/15

configure_dataplane() {
  local d="$ETC/nova"
  mkdir -p "$d" "$DH/dataplane/instances" "$DH/dataplane/lock" "$DH/python/nova_virt"
  # Read after nova-compute.conf (later files win): its own host, driver and state.
  write_file "$d/nova-dataplane.conf" 640 <<EOF
[DEFAULT]
host = $DATAPLANE_HOST
compute_driver = devcloud_namespace.NamespaceDriver
state_path = $DH/dataplane
instances_path = $DH/dataplane/instances
[oslo_concurrency]
lock_path = $DH/dataplane/lock
EOF
  local src="$SCRIPT_DIR/dev-cloud.d/python" f
  for f in devcloud_nova_compute.py devcloud_guest_init.py nova_virt/devcloud_fake.py nova_virt/devcloud_namespace.py; do
    write_file "$DH/python/$f" <"$src/$f"
  done
}

dataplane_packages() {
  local p missing=()
  for p in "${DATAPLANE_PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" == ii* ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  say "data plane: installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 ||
    { apt-get update -q -o DPkg::Lock::Timeout=300 >>"$LOG_DIR/apt.log" 2>&1 &&
      apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1; } ||
    die "apt-get install ${missing[*]} failed; see $LOG_DIR/apt.log"
}

# The data plane's namespace, bridge and routes (idempotent).
dataplane_net_up() {
  ip route replace blackhole "$DP_BLACKHOLE" metric 4000
  [[ -e /run/netns/$DP_NS ]] || ip netns add "$DP_NS"
  ip -n "$DP_NS" link set lo up
  # Routes between the host uplink and the guests bridge (procps may be absent: no sysctl).
  ip netns exec "$DP_NS" sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
  ip -n "$DP_NS" link show "$DP_BRIDGE" >/dev/null 2>&1 || ip -n "$DP_NS" link add "$DP_BRIDGE" type bridge
  ip -n "$DP_NS" addr replace "$DP_GATEWAY/${DP_GUEST_CIDR#*/}" dev "$DP_BRIDGE"
  ip -n "$DP_NS" link set "$DP_BRIDGE" up
  if ! ip link show "$DP_HOST_IF" >/dev/null 2>&1; then
    ip link add "$DP_HOST_IF" type veth peer name uplink netns "$DP_NS"
  fi
  ip addr replace "$DP_TRANSIT_HOST/30" dev "$DP_HOST_IF"
  ip link set "$DP_HOST_IF" up
  ip -n "$DP_NS" addr replace "$DP_TRANSIT_NS/30" dev uplink
  ip -n "$DP_NS" link set uplink up
  # More specific than the blackhole: the guest range goes into the namespace only.
  ip route replace "$DP_GUEST_CIDR" via "$DP_TRANSIT_NS" dev "$DP_HOST_IF"
}

dataplane_net_down() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '/^dcg-/ {print $1}'); do ip netns del "$ns" 2>/dev/null || true; done
  ip route del "$DP_GUEST_CIDR" via "$DP_TRANSIT_NS" 2>/dev/null || true
  ip link del "$DP_HOST_IF" 2>/dev/null || true
  [[ -e /run/netns/$DP_NS ]] && ip netns del "$DP_NS" 2>/dev/null || true
  # The blackhole stays: nothing of the guest range may leave while the data plane is down.
}

start_nova_dataplane() {
  dataplane_packages
  configure_dataplane
  dataplane_net_up
  daemon_start nova-dataplane env DEVCLOUD_DP_STATE="$DH/dataplane" DEVCLOUD_DP_ROUTER_NS="$DP_NS" \
    DEVCLOUD_DP_BRIDGE="$DP_BRIDGE" DEVCLOUD_DP_CIDR="$DP_GUEST_CIDR" \
    /usr/bin/python3 "$DH/python/devcloud_nova_compute.py" \
    --config-file "$ETC/nova/nova-compute.conf" --config-file "$ETC/nova/nova-dataplane.conf"
}
dataplane_routed() { ip route get "$DP_GATEWAY" 2>/dev/null | grep -q "$DP_HOST_IF"; }
check_nova_dataplane() { daemon_alive nova-dataplane && [[ -e /run/netns/$DP_NS ]] && cmd_ok dataplane_routed; }
endpoint_nova_dataplane() {
  printf 'rpc:compute.%s (namespace guests: %d, %s via %s)' "$DATAPLANE_HOST" \
    "$(ip netns list 2>/dev/null | grep -c '^dcg-')" "$DP_GUEST_CIDR" "$DP_NS"
}

# After the compute services are up: map the new host, make the flavor, image and run config.
setup_dataplane() {
  provision_dataplane dataplane-service >>"$LOG_DIR/provision.log"
  nova_discover_hosts
  provision_dataplane dataplane >>"$LOG_DIR/provision.log"
}

# provision_dataplane ACTION: python/provision_dataplane.py with the secrets, like provision().
provision_dataplane() {
  local name
  for name in "${SECRETS_FILE_NAMES[@]}"; do export "$name"; done
  DEVCLOUD_LOG_DIR="$LOG_DIR" DEVCLOUD_RUN_CONFIG="$REPO_DIR/.dev-cloud/defcore.yaml" \
    /usr/bin/python3 "$SCRIPT_DIR/dev-cloud.d/provision_dataplane.py" "$1" || {
    for name in "${SECRETS_FILE_NAMES[@]}"; do export -n "$name"; done
    die "data plane step '$1' failed; see $LOG_DIR/nova-dataplane.log"
  }
  for name in "${SECRETS_FILE_NAMES[@]}"; do export -n "$name"; done
}
