"""A Nova virt driver whose guests are Linux namespaces (as nova-lxd and nova-docker were).

Each server gets its own network namespace, with one interface per Neutron port on the
port's fixed address, plugged into the data plane's bridge (a namespace the dev cloud
creates: scripts/dev-cloud.d/dataplane.sh) when the port's subnet is the data plane's;
and a private mount, UTS, PID, IPC and time namespace running devcloud_guest_init.py as its PID 1. The guest
gets what a hypervisor gives a VM: a config drive (written by Nova's own InstanceMetadata
code, from which the guest's init takes its hostname and the keypair, as cloud-init does)
and as many processors in /proc/cpuinfo as the flavor has vCPUs. Guests are torn down on
delete, power off, reboot and rebuild, and started again on power on, as a VM would be.

Placement only ever sends servers here whose flavor asks for the data plane's resource
class (`resources:CUSTOM_DEVCLOUD_GUEST=1` with VCPU/MEMORY_MB/DISK_GB zeroed, the way
Ironic flavors work): this host offers no VCPU, so other flavors stay on the fake host.

Test knob: a flavor extra spec `devcloud:guest_vcpus=N` makes the guest show N processors
whatever the flavor says -- a broken hypervisor, for proving that the harness notices.
"""
import os
import shutil
import signal
import subprocess

from oslo_log import log as logging

from nova.api.metadata import base as instance_metadata
from nova import conf
from nova import exception
from nova.virt import fake

LOG = logging.getLogger(__name__)
CONF = conf.CONF

RESOURCE_CLASS = "CUSTOM_DEVCLOUD_GUEST"
TRAIT = "CUSTOM_DEVCLOUD_NAMESPACE_GUEST"
GUEST_CAPACITY = 16

# Set by scripts/dev-cloud.d/dataplane.sh in the daemon's environment.
STATE_DIR = os.environ.get("DEVCLOUD_DP_STATE", "/var/lib/defcore-devcloud/dataplane")
ROUTER_NS = os.environ.get("DEVCLOUD_DP_ROUTER_NS", "devcloud-dp")
BRIDGE = os.environ.get("DEVCLOUD_DP_BRIDGE", "br-guests")
GUEST_CIDR = os.environ.get("DEVCLOUD_DP_CIDR", "198.18.0.0/24")
GUEST_INIT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "devcloud_guest_init.py")
NS_PREFIX = "dcg-"


def run(*cmd, check=True):
    """Runs a command (ip, unshare...) and returns its stdout; raises with its stderr."""
    proc = subprocess.run(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30)
    if check and proc.returncode != 0:
        raise exception.NovaException(
            "data plane: %s failed (exit %d): %s" % (" ".join(cmd), proc.returncode,
                                                     proc.stderr.decode(errors="replace").strip()[:300]))
    return proc.stdout.decode(errors="replace")


def cpuinfo(n):
    """A /proc/cpuinfo with n processors, in the kernel's layout."""
    blocks = []
    for i in range(n):
        blocks.append("\n".join([
            "processor\t: %d" % i,
            "vendor_id\t: GenuineIntel",
            "cpu family\t: 6",
            "model\t\t: 85",
            "model name\t: devcloud namespace guest vCPU",
            "stepping\t: 7",
            "cpu MHz\t\t: 2000.000",
            "physical id\t: %d" % i,
            "siblings\t: 1",
            "core id\t\t: 0",
            "cpu cores\t: 1",
            "apicid\t\t: %d" % i,
            "flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov hypervisor",
            ""]))
    return "\n".join(blocks) + "\n"


class NamespaceDriver(fake.FakeDriver):
    """FakeDriver bookkeeping plus a real guest per instance."""

    vcpus = GUEST_CAPACITY
    memory_mb = 8192
    local_gb = 100

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only)
        self._guests = {}  # uuid -> Popen of the guest's PID 1 (through unshare)

    # ---- host -------------------------------------------------------------
    def init_host(self, host):
        super().init_host(host)
        os.makedirs(STATE_DIR, exist_ok=True)
        # A fresh hypervisor: guests of an earlier run of this service are gone.
        for ns in run("ip", "netns", "list", check=False).split("\n"):
            name = ns.split(" ")[0]
            if name.startswith(NS_PREFIX):
                self._kill_namespace(name)
        guests = os.path.join(STATE_DIR, "guests")
        if os.path.isdir(guests):
            shutil.rmtree(guests, ignore_errors=True)
        if ROUTER_NS not in run("ip", "netns", "list", check=False):
            LOG.warning("data plane namespace %s is missing: guests will not be reachable", ROUTER_NS)

    def update_provider_tree(self, provider_tree, nodename, allocations=None):
        # Only the data plane's own resource class: flavors that do not ask for it
        # (every ordinary flavor asks for VCPU) can never land here.
        provider_tree.update_inventory(nodename, {
            RESOURCE_CLASS: {"total": GUEST_CAPACITY, "min_unit": 1, "max_unit": 1, "step_size": 1,
                             "allocation_ratio": 1.0, "reserved": 0},
        })
        provider_tree.add_traits(nodename, TRAIT)

    # ---- guests -----------------------------------------------------------
    @staticmethod
    def _ns(instance):
        return NS_PREFIX + instance.uuid

    @staticmethod
    def _dir(instance):
        return os.path.join(STATE_DIR, "guests", instance.uuid)

    def _guest_vcpus(self, instance):
        specs = instance.flavor.extra_specs or {}
        override = specs.get("devcloud:guest_vcpus")
        if override is not None:
            return int(override)
        return int(instance.flavor.vcpus)

    def _write_config_drive(self, instance, injected_files, admin_password, network_info):
        """The config drive's files, by Nova's own metadata code (as the libvirt driver builds it)."""
        base = os.path.join(self._dir(instance), "config-drive")
        shutil.rmtree(base, ignore_errors=True)
        extra_md = {"admin_pass": admin_password} if admin_password else {}
        inst_md = instance_metadata.InstanceMetadata(
            instance, content=injected_files or [], extra_md=extra_md, network_info=network_info)
        for path, data in inst_md.metadata_for_config_drive():
            full = os.path.join(base, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as f:
                f.write(data if isinstance(data, bytes) else data.encode())

    def _plug(self, instance, network_info):
        ns = self._ns(instance)
        run("ip", "netns", "add", ns)
        run("ip", "-n", ns, "link", "set", "lo", "up")
        for index, vif in enumerate(network_info or []):
            subnets = [s for s in vif["network"]["subnets"] if s["version"] == 4 and s["ips"]]
            if not subnets:
                continue
            subnet = subnets[0]
            if subnet["cidr"] != GUEST_CIDR:
                LOG.info("port %s is on %s, not on the data plane's %s: left unplugged",
                         vif["id"], subnet["cidr"], GUEST_CIDR, instance=instance)
                continue
            outside = "dpv" + vif["id"].replace("-", "")[:11]
            inside = "eth%d" % index
            run("ip", "-n", ROUTER_NS, "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns)
            run("ip", "-n", ROUTER_NS, "link", "set", outside, "master", BRIDGE, "up")
            prefix = subnet["cidr"].split("/")[1]
            run("ip", "-n", ns, "link", "set", inside, "address", vif["address"])
            run("ip", "-n", ns, "addr", "add", "%s/%s" % (subnet["ips"][0]["address"], prefix), "dev", inside)
            run("ip", "-n", ns, "link", "set", inside, "up")
            gateway = (subnet.get("gateway") or {}).get("address")
            if gateway:
                run("ip", "-n", ns, "route", "replace", "default", "via", gateway)

    def _boot(self, instance):
        """Starts the guest's PID 1 (devcloud_guest_init.py) in fresh mount/UTS/PID/IPC namespaces."""
        d = self._dir(instance)
        log = open(os.path.join(d, "console.log"), "ab")
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8"}
        # Not a new session: the guest stays in nova-compute's process group, so stopping
        # the service stops its guests (no process outlives the dev cloud).
        # A time namespace whose boot clock starts now: the guest's /proc/uptime (and so its
        # boot time) is its own, and a reboot gives it a later boot time, as a VM's.
        with open("/proc/uptime") as f:
            host_uptime = int(float(f.read().split()[0]))
        self._guests[instance.uuid] = subprocess.Popen(
            ["ip", "netns", "exec", self._ns(instance), "unshare", "--mount", "--uts", "--pid", "--ipc",
             "--time", "--boottime", str(-max(0, host_uptime - 1)),
             "--fork", "--mount-proc", "--kill-child=SIGKILL", "/usr/bin/python3", GUEST_INIT, d],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, close_fds=True)
        log.close()

    def _halt(self, instance):
        """Stops the guest's processes (its PID 1 takes the PID namespace with it)."""
        proc = self._guests.pop(instance.uuid, None)
        if proc is None:
            return
        try:
            proc.send_signal(signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            LOG.warning("guest process %s did not exit", proc.pid, instance=instance)

    def _kill_namespace(self, ns):
        pids = run("ip", "netns", "pids", ns, check=False).split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        run("ip", "netns", "del", ns, check=False)

    def _teardown(self, instance):
        self._halt(instance)
        self._kill_namespace(self._ns(instance))

    def _create_guest(self, instance, injected_files, admin_password, network_info, power_on):
        self._teardown(instance)
        d = self._dir(instance)
        os.makedirs(d, exist_ok=True)
        self._write_config_drive(instance, injected_files, admin_password, network_info)
        with open(os.path.join(d, "cpuinfo"), "w") as f:
            f.write(cpuinfo(self._guest_vcpus(instance)))
        self._plug(instance, network_info)
        if power_on:
            self._boot(instance)

    # ---- Nova's driver interface -------------------------------------------
    def spawn(self, context, instance, image_meta, injected_files, admin_password, allocations,
              network_info=None, block_device_info=None, power_on=True, accel_info=None):
        super().spawn(context, instance, image_meta, injected_files, admin_password, allocations,
                      network_info=network_info, block_device_info=block_device_info,
                      power_on=power_on, accel_info=accel_info)
        try:
            self._create_guest(instance, injected_files, admin_password, network_info, power_on)
        except Exception:
            self._teardown(instance)
            super().destroy(context, instance, network_info)
            raise

    def destroy(self, context, instance, network_info, block_device_info=None,
                destroy_disks=True, destroy_secrets=True):
        self._teardown(instance)
        if destroy_disks:
            shutil.rmtree(self._dir(instance), ignore_errors=True)
        super().destroy(context, instance, network_info, block_device_info=block_device_info,
                        destroy_disks=destroy_disks, destroy_secrets=destroy_secrets)

    def reboot(self, context, instance, network_info, reboot_type, block_device_info=None,
               bad_volumes_callback=None, accel_info=None):
        super().reboot(context, instance, network_info, reboot_type, block_device_info=block_device_info,
                       bad_volumes_callback=bad_volumes_callback, accel_info=accel_info)
        # Soft or hard: the guest's processes end and its init runs again.
        self._halt(instance)
        if os.path.isdir(os.path.join(self._dir(instance), "config-drive")):
            self._boot(instance)

    def power_off(self, instance, timeout=0, retry_interval=0):
        super().power_off(instance, timeout, retry_interval)
        self._halt(instance)

    def power_on(self, context, instance, network_info, block_device_info=None, accel_info=None):
        super().power_on(context, instance, network_info, block_device_info=block_device_info,
                         accel_info=accel_info)
        if instance.uuid not in self._guests and os.path.isdir(os.path.join(self._dir(instance), "config-drive")):
            self._boot(instance)

    def migrate_disk_and_power_off(self, context, instance, dest, flavor, network_info,
                                   block_device_info=None, timeout=0, retry_interval=0):
        self._halt(instance)

    def finish_migration(self, context, migration, instance, disk_info, network_info, image_meta,
                         resize_instance, allocations, block_device_info=None, power_on=True):
        # The guest comes back with the new flavor's processors.
        self.spawn(context, instance, image_meta, None, None, allocations,
                   network_info=network_info, block_device_info=block_device_info, power_on=power_on)

    def finish_revert_migration(self, context, instance, network_info, migration,
                                block_device_info=None, power_on=True):
        super().finish_revert_migration(context, instance, network_info, migration,
                                        block_device_info=block_device_info, power_on=power_on)
        self._create_guest(instance, None, None, network_info, power_on)

    def get_console_output(self, context, instance):
        path = os.path.join(self._dir(instance), "console.log")
        try:
            with open(path, "rb") as f:
                f.seek(0, os.SEEK_END)
                size = f.tell()
                f.seek(max(0, size - 65536))
                return f.read().decode(errors="replace")
        except OSError:
            return ""
