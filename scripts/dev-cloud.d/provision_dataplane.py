#!/usr/bin/python3
"""The dev cloud's data plane, through its own REST APIs (see dataplane.sh).

Usage: provision_dataplane.py dataplane-service|dataplane|run-config|smoke
  dataplane-service  wait until nova-compute on host "dataplane" reports up
  dataplane          hypervisor mapped; flavor m1.guest, image devcloud-guest; writes the
                     validation settings into the generated run config (DEVCLOUD_RUN_CONFIG)
  run-config         only (re)write that run config (no API calls; for clones made later)
  smoke              boot a guest with a fresh keypair, log in over SSH, check its hostname
                     and processors against the server and flavor, delete everything
Never prints passwords, tokens or private keys.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

import provision as p

HOST = "dataplane"
# vcpus 2: a guest that always showed one processor would not pass.
FLAVOR = {"id": "168", "name": "m1.guest", "vcpus": 2, "ram": 512, "disk": 1}
FLAVOR_EXTRA_SPECS = {
    # Ironic-style: only the data plane offers this class, and it offers no VCPU.
    "resources:CUSTOM_DEVCLOUD_GUEST": "1",
    "resources:VCPU": "0",
    "resources:MEMORY_MB": "0",
    "resources:DISK_GB": "0",
}
IMAGE = "devcloud-guest"
NETWORK = "devcloud-guests"
# Must match DP_GUEST_CIDR / DP_GATEWAY in dataplane.sh: the data plane's bridge serves it.
GUEST_CIDR = "198.18.0.0/24"
GUEST_GATEWAY = "198.18.0.1"
SSH_USER = "root"


def dataplane_service():
    tok = p.admin_token()

    def up():
        _, _, doc = p.nova("GET", "/os-services?binary=nova-compute", tok)
        return any(s["host"] == HOST and s["state"] == "up" for s in doc["services"])
    p.wait_for(f"nova-compute on host {HOST} up", up, 180, "nova-dataplane")


def ensure_flavor(tok):
    _, _, doc = p.nova("GET", "/flavors?is_public=None", tok)
    if not any(f["id"] == FLAVOR["id"] for f in doc["flavors"]):
        p.nova("POST", "/flavors", tok, body={"flavor": {**FLAVOR, "os-flavor-access:is_public": True}})
        print(f"created flavor {FLAVOR['name']}")
    _, _, doc = p.nova("GET", f"/flavors/{FLAVOR['id']}/os-extra_specs", tok)
    if doc["extra_specs"] != FLAVOR_EXTRA_SPECS:
        p.nova("POST", f"/flavors/{FLAVOR['id']}/os-extra_specs", tok, body={"extra_specs": FLAVOR_EXTRA_SPECS})


def ensure_image(tok):
    # Community: bootable by id by every project, yet out of default image lists, so
    # the API checks' image discovery and listings do not change.
    _, _, doc = p.call("GET", f"{p.GLANCE}/v2/images?name={IMAGE}&visibility=community", tok)
    for img in doc["images"]:
        if img["status"] == "active":
            return img["id"]
        p.call("DELETE", f"{p.GLANCE}/v2/images/{img['id']}", tok)
    _, _, img = p.call("POST", f"{p.GLANCE}/v2/images", tok, body={
        "name": IMAGE, "disk_format": "raw", "container_format": "bare", "visibility": "community",
        "os_admin_user": SSH_USER, "hw_vif_model": "virtio"})
    p.call("PUT", f"{p.GLANCE}/v2/images/{img['id']}/file", tok, raw=b"devcloud namespace guest\n" * 64)
    print(f"uploaded image {IMAGE}")
    return img["id"]


def ensure_network(tok):
    """The shared network the guests are reachable on (owned by the admin project)."""
    _, _, doc = p.call("GET", f"{p.NEUTRON}/v2.0/networks?name={NETWORK}", tok)
    if doc["networks"]:
        net = doc["networks"][0]
    else:
        _, _, doc = p.call("POST", f"{p.NEUTRON}/v2.0/networks", tok, body={"network": {
            "name": NETWORK, "shared": True, "admin_state_up": True}})
        net = doc["network"]
        print(f"created network {NETWORK}")
    _, _, doc = p.call("GET", f"{p.NEUTRON}/v2.0/subnets?network_id={net['id']}", tok)
    if not doc["subnets"]:
        # No DHCP agent: the driver puts the port's address on the guest's interface itself.
        p.call("POST", f"{p.NEUTRON}/v2.0/subnets", tok, body={"subnet": {
            "name": f"{NETWORK}-subnet", "network_id": net["id"], "ip_version": 4, "cidr": GUEST_CIDR,
            "gateway_ip": GUEST_GATEWAY, "enable_dhcp": False,
            "allocation_pools": [{"start": "198.18.0.10", "end": "198.18.0.250"}]}})
        print(f"created subnet {NETWORK}-subnet {GUEST_CIDR}")


def write_run_config():
    """Merges the accounts and the validation section into the generated run config."""
    path = os.environ.get("DEVCLOUD_RUN_CONFIG")
    if not path:
        return
    doc = {}
    if os.path.exists(path):
        with open(path) as f:
            doc = yaml.safe_load(f) or {}
    for key, cloud in (("os_cloud", "devcloud"), ("alt_cloud", "devcloud-alt"),
                       ("reseller_cloud", "devcloud-reseller"), ("admin_cloud", "devcloud-admin")):
        doc.setdefault(key, cloud)
    doc["validation"] = {
        "run_validation": True,
        # Names, not ids: the file stays right for every clone of the repository.
        "image_ref": IMAGE,
        "flavor_ref": FLAVOR["name"],
        "connect_method": "fixed",
        "network_for_ssh": NETWORK,
        "ip_version_for_ssh": 4,
    }
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("# Generated by scripts/dev-cloud (no secrets): the dev cloud's accounts and data plane.\n")
        yaml.safe_dump(doc, f, sort_keys=False)
    os.replace(tmp, path)


def dataplane():
    tok = p.admin_token()

    def mapped():
        _, _, doc = p.nova("GET", "/os-hypervisors", tok)
        return any(h["hypervisor_hostname"] == HOST and h.get("state") == "up" for h in doc["hypervisors"])
    p.wait_for(f"hypervisor {HOST} mapped into cell1", mapped, 120, "nova-dataplane")
    ensure_flavor(tok)
    ensure_network(tok)
    ensure_image(tok)
    write_run_config()


def ssh(key, address, command, timeout=20):
    """dbclient (dropbear's client): returns (exit status, output)."""
    proc = subprocess.run(
        ["dbclient", "-y", "-y", "-i", key, "-o", "ConnectTimeout=5", f"{SSH_USER}@{address}", command],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout)
    return proc.returncode, proc.stdout.strip()


def smoke():
    tok, _ = p.scoped("devcloud-user", "DEMO_PASSWORD", "devcloud-project")
    admin = p.admin_token()
    stamp = f"devcloud-smoke-guest-{int(time.time())}"
    tmp = tempfile.mkdtemp(prefix="devcloud-smoke-")
    sid = None
    try:
        key = os.path.join(tmp, "key")
        subprocess.run(["dropbearkey", "-t", "ed25519", "-f", key], check=True, capture_output=True)
        pub = [ln for ln in subprocess.run(["dropbearkey", "-y", "-f", key], capture_output=True, text=True).stdout.splitlines()
               if ln.startswith("ssh-")][0]
        p.nova("POST", "/os-keypairs", tok, body={"keypair": {"name": stamp, "public_key": pub}})
        _, _, doc = p.call("GET", f"{p.NEUTRON}/v2.0/networks?name={NETWORK}", tok)
        net = doc["networks"][0]["id"]
        _, _, doc = p.call("GET", f"{p.GLANCE}/v2/images?name={IMAGE}&visibility=community", admin)
        image_id = doc["images"][0]["id"]
        _, _, doc = p.nova("POST", "/servers", tok, body={"server": {
            "name": stamp, "imageRef": image_id, "flavorRef": FLAVOR["id"], "key_name": stamp,
            "networks": [{"uuid": net}]}})
        sid = doc["server"]["id"]
        srv = p.server_wait(tok, sid, "ACTIVE")
        _, _, doc = p.nova("GET", f"/servers/{sid}", admin)
        host = doc["server"].get("OS-EXT-SRV-ATTR:host")
        if host != HOST:
            raise p.ProvisionError(f"server {stamp} landed on host {host}, not {HOST}")
        address = srv["addresses"][NETWORK][0]["addr"]
        print(f"ok  {FLAVOR['name']} server ACTIVE on host {HOST} at {address}")

        def answers():
            try:
                return ssh(key, address, "true", 10)[0] == 0
            except subprocess.TimeoutExpired:
                return False
        p.wait_for(f"SSH on {address}", answers, 60, "nova-dataplane", 1.0)
        status, out = ssh(key, address, "hostname; grep -c ^processor /proc/cpuinfo")
        lines = out.splitlines()
        if status != 0 or lines != [stamp, str(FLAVOR["vcpus"])]:
            raise p.ProvisionError(f"guest says {lines!r} (exit {status}); expected hostname {stamp} and {FLAVOR['vcpus']} processors")
        print(f"ok  SSH as {SSH_USER} with the keypair: hostname {lines[0]}, {lines[1]} processors (flavor {FLAVOR['vcpus']} vCPUs)")
    finally:
        if sid:
            p.nova("DELETE", f"/servers/{sid}", tok, ok=(204, 404))
            p.gone(f"{p.NOVA}/servers/{sid}", tok, "server", "nova-dataplane", extra=p.COMPUTE_VERSION)
        p.nova("DELETE", f"/os-keypairs/{stamp}", tok, ok=(202, 204, 404))
        shutil.rmtree(tmp, ignore_errors=True)
    print("ok  guest server and keypair deleted")


def main():
    actions = {"dataplane-service": dataplane_service, "dataplane": dataplane, "run-config": write_run_config, "smoke": smoke}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        print("usage: provision_dataplane.py " + "|".join(actions), file=sys.stderr)
        return 2
    try:
        actions[sys.argv[1]]()
    except (p.ProvisionError, subprocess.SubprocessError, OSError) as err:
        print(f"dev-cloud: data plane ({sys.argv[1]}) failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
