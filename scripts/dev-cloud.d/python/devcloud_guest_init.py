#!/usr/bin/python3
"""PID 1 of a dev cloud namespace guest (started by nova_virt/devcloud_namespace.py).

Does for the guest what cloud-init does for a VM booted with a config drive: takes the
hostname and the keypair's public key from the drive's openstack/latest/meta_data.json,
which Nova wrote; then starts the SSH server (dropbear) for the guest's user, root.
Runs in its own network, mount, UTS, PID and IPC namespaces: its mounts (the processors
of its flavor over /proc/cpuinfo, a private /root, /run, /tmp and /var/log) and its
hostname are the guest's alone.

Usage: devcloud_guest_init.py GUEST_DIR   (config-drive/, cpuinfo; host key kept there)
"""
import json
import os
import socket
import subprocess
import sys


def say(msg):
    # The console log, which GET /servers/{id}/action os-getConsoleOutput shows.
    print("guest-init: " + msg, flush=True)


def mount(*args):
    subprocess.run(["mount", *args], check=True)


def main():
    guest_dir = sys.argv[1]
    with open(os.path.join(guest_dir, "config-drive", "openstack", "latest", "meta_data.json")) as f:
        md = json.load(f)
    # As cloud-init: the short host name (first label) of the metadata's hostname.
    hostname = str(md.get("hostname") or md.get("name") or "localhost").split(".")[0][:63]
    socket.sethostname(hostname)
    say("hostname %s (from the config drive)" % hostname)

    # Before the private mounts: the guest directory may sit under one of them.
    host_key = os.path.join(guest_dir, "ssh_host_ed25519_key")
    if not os.path.exists(host_key):
        subprocess.run(["dropbearkey", "-t", "ed25519", "-f", host_key], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    fp = subprocess.run(["dropbearkey", "-y", "-f", host_key], capture_output=True, text=True).stdout
    for line in fp.splitlines():
        if line.startswith("Fingerprint:"):
            say("SSH host key " + line)
    mount("--bind", os.path.join(guest_dir, "cpuinfo"), "/proc/cpuinfo")
    for path in ("/run", "/tmp", "/var/log"):
        mount("-t", "tmpfs", "-o", "mode=0755" if path != "/tmp" else "mode=1777", "tmpfs", path)
    mount("-t", "tmpfs", "-o", "mode=0700", "tmpfs", "/root")
    keys = [k.strip() for k in (md.get("public_keys") or {}).values() if isinstance(k, str) and k.strip()]
    os.makedirs("/root/.ssh", mode=0o700, exist_ok=True)
    with open("/root/.ssh/authorized_keys", "w") as f:
        f.write("".join(k + "\n" for k in keys))
    os.chmod("/root/.ssh/authorized_keys", 0o600)
    say("%d authorized key(s) for root (from the config drive)" % len(keys))

    sys.stdout.flush()
    # PID 1 from here on: dropbear in the foreground, keys only, no forwarding.
    os.execv("/usr/sbin/dropbear", ["dropbear", "-F", "-E", "-s", "-j", "-k", "-p", "22",
                                    "-r", host_key, "-P", "/run/dropbear.pid"])


if __name__ == "__main__":
    main()
