#!/usr/bin/python3
"""Idempotent provisioning of the dev cloud through its own REST APIs (stdlib only).

Usage: provision.py identity|image|network|compute-services|compute|volume|orchestration|smoke|variant
Passwords and the selected services come from the environment (set by scripts/dev-cloud).
Never prints passwords or tokens.
"""
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

KEYSTONE = "http://127.0.0.1:5000/v3"
SWIFT = "http://127.0.0.1:8080/v1/AUTH_%(project_id)s"
GLANCE = "http://127.0.0.1:9292"
NEUTRON = "http://127.0.0.1:9696"
PLACEMENT = "http://127.0.0.1:8778"
NOVA = "http://127.0.0.1:8774/v2.1"
CINDER = "http://127.0.0.1:8776/v3/%(project_id)s"
DESIGNATE = "http://127.0.0.1:9001"
# BIND 9, the DNS server behind Designate (scripts/dev-cloud.d/designate.sh).
DNS_SERVER = ("127.0.0.1", 5322)
# Keystone substitutes the project of the token into the catalog URL.
HEAT = "http://127.0.0.1:8004/v1/$(project_id)s"
# heat-api-cfn: where pre-signed CFN_SIGNAL URLs (software deployments, wait conditions) point.
HEAT_CFN = "http://127.0.0.1:8000/v1"
REGION = "RegionOne"

# Tempest-like accounts: (user, password env var, project, roles)
ACCOUNTS = [
    ("devcloud-user", "DEMO_PASSWORD", "devcloud-project", ["member"]),
    ("devcloud-alt-user", "ALT_PASSWORD", "devcloud-alt-project", ["member"]),
    ("devcloud-reseller", "RESELLER_PASSWORD", "devcloud-reseller-project", ["member", "ResellerAdmin"]),
]
SERVICE_USERS = {"swift": "SWIFT_PASSWORD", "glance": "GLANCE_PASSWORD", "neutron": "NEUTRON_PASSWORD",
                 "placement": "PLACEMENT_PASSWORD", "nova": "NOVA_PASSWORD", "cinder": "CINDER_PASSWORD",
                 "designate": "DESIGNATE_PASSWORD", "heat": "HEAT_PASSWORD"}
CATALOG = {
    "swift": [("object-store", "swift", SWIFT)],
    "glance": [("image", "glance", GLANCE)],
    "neutron": [("network", "neutron", NEUTRON)],
    "placement": [("placement", "placement", PLACEMENT)],
    "nova": [("compute", "nova", NOVA)],
    # block-storage is the current service type; volumev3 what Tempest 33 and older clients look up.
    "cinder": [("volumev3", "cinderv3", CINDER), ("block-storage", "cinder", CINDER)],
    "designate": [("dns", "designate", DESIGNATE)],
    "heat": [("orchestration", "heat", HEAT), ("cloudformation", "heat-cfn", HEAT_CFN)],
}
# Public flavors (id, name, vcpus, ram MB, disk GB): two small ones and a bigger one to resize to.
FLAVORS = [("42", "m1.nano", 1, 128, 1), ("84", "m1.micro", 1, 192, 1), ("126", "m1.mini", 2, 256, 2)]
NOVA_HOST = "devcloud"
VOLUME_TYPE = "__DEFAULT__"
IMAGE_NAME = "devcloud-tiny"
# A few KB of deterministic bytes; nothing boots it (no compute here).
IMAGE_BYTES = bytes((i * 7 + 3) % 251 for i in range(8192))


class ProvisionError(Exception):
    pass


def call(method, url, token=None, body=None, raw=None, ok=(200, 201, 202, 204), extra=None):
    headers = {"Accept": "application/json", **(extra or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif raw is not None:
        data = raw
        headers["Content-Type"] = "application/octet-stream"
    if token:
        headers["X-Auth-Token"] = token
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            status, hdrs, payload = resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as err:
        status, hdrs, payload = err.code, err.headers, err.read()
    except (urllib.error.URLError, OSError) as err:
        raise ProvisionError(f"{method} {url.split('?')[0]}: {err}") from None
    if status not in ok:
        raise ProvisionError(f"{method} {url.split('?')[0]} -> HTTP {status}: {payload[:200].decode(errors='replace')}")
    doc = None
    if payload and "json" in (hdrs.get("Content-Type") or ""):
        doc = json.loads(payload)
    return status, hdrs, doc


def auth(user, password, project=None):
    """Return a token, or None if Keystone says 401."""
    ident = {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"id": "default"}, "password": password}}}
    body = {"auth": {"identity": ident}}
    if project:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"id": "default"}}}
    status, hdrs, _ = call("POST", f"{KEYSTONE}/auth/tokens", body=body, ok=(201, 401))
    return hdrs.get("X-Subject-Token") if status == 201 else None


def admin_token():
    tok = auth("admin", os.environ["ADMIN_PASSWORD"], "admin")
    if not tok:
        raise ProvisionError("admin login to Keystone failed (401): secrets.env does not match the database")
    return tok


def q(s):
    return urllib.parse.quote(s, safe="")


def find_one(tok, collection, key, **filters):
    qs = "&".join(f"{k}={q(v)}" for k, v in filters.items())
    _, _, doc = call("GET", f"{KEYSTONE}/{collection}?{qs}", tok)
    items = doc[key]
    return items[0] if items else None


def ensure(tok, collection, key, single, filters, body):
    found = find_one(tok, collection, key, **filters)
    if found:
        return found
    _, _, doc = call("POST", f"{KEYSTONE}/{collection}", tok, body={single: body})
    print(f"created {single} {body.get('name', body.get('type', ''))}")
    return doc[single]


def ensure_project(tok, name):
    return ensure(tok, "projects", "projects", "project", {"name": name, "domain_id": "default"},
                  {"name": name, "domain_id": "default", "description": "defcore dev cloud"})


def ensure_role(tok, name):
    return ensure(tok, "roles", "roles", "role", {"name": name}, {"name": name})


def ensure_user(tok, name, password, project):
    user = find_one(tok, "users", "users", name=name, domain_id="default")
    if user is None:
        _, _, doc = call("POST", f"{KEYSTONE}/users", tok, body={"user": {
            "name": name, "domain_id": "default", "password": password,
            "default_project_id": project["id"], "enabled": True}})
        print(f"created user {name}")
        return doc["user"]
    # Only reset a password that no longer works: a reset revokes the user's tokens.
    if auth(name, password) is None:
        call("PATCH", f"{KEYSTONE}/users/{user['id']}", tok, body={"user": {"password": password, "enabled": True}})
        print(f"reset password of user {name}")
    return user


def grant(tok, project, user, role):
    call("PUT", f"{KEYSTONE}/projects/{project['id']}/users/{user['id']}/roles/{role['id']}", tok)


def ensure_catalog(tok, stype, name, url):
    svc = find_one(tok, "services", "services", type=stype)
    if svc is None:
        _, _, doc = call("POST", f"{KEYSTONE}/services", tok,
                         body={"service": {"type": stype, "name": name, "enabled": True}})
        svc = doc["service"]
        print(f"created service {stype}")
    _, _, doc = call("GET", f"{KEYSTONE}/endpoints?service_id={svc['id']}", tok)
    # Endpoints of other regions (the variant's RegionTwo) are not this function's.
    have = {e["interface"]: e for e in doc["endpoints"] if e.get("region_id") in (REGION, None)}
    for iface in ("public", "internal", "admin"):
        e = have.get(iface)
        if e is None:
            call("POST", f"{KEYSTONE}/endpoints", tok, body={"endpoint": {
                "service_id": svc["id"], "interface": iface, "url": url, "region_id": REGION, "enabled": True}})
        elif e["url"] != url or e.get("region_id") != REGION:
            call("PATCH", f"{KEYSTONE}/endpoints/{e['id']}", tok,
                 body={"endpoint": {"url": url, "region_id": REGION}})


def identity():
    services = os.environ.get("DEVCLOUD_SERVICES", "keystone swift").split()
    tok = admin_token()
    roles = {r: ensure_role(tok, r) for r in ("admin", "member", "reader", "service", "ResellerAdmin")}
    for user, pw_var, project, role_names in ACCOUNTS:
        p = ensure_project(tok, project)
        u = ensure_user(tok, user, os.environ[pw_var], p)
        for r in role_names:
            grant(tok, p, u, roles[r])
    service_project = ensure_project(tok, "service")
    for svc, pw_var in SERVICE_USERS.items():
        if svc not in services:
            continue
        u = ensure_user(tok, svc, os.environ[pw_var], service_project)
        for r in ("admin", "service"):
            grant(tok, service_project, u, roles[r])
        for entry in CATALOG[svc]:
            ensure_catalog(tok, *entry)


def image():
    tok = admin_token()
    _, _, doc = call("GET", f"{GLANCE}/v2/images?name={q(IMAGE_NAME)}", tok)
    for img in doc["images"]:
        if img["status"] == "active":
            return
        # A half-made image from an interrupted run: replace it.
        call("DELETE", f"{GLANCE}/v2/images/{img['id']}", tok)
    _, _, img = call("POST", f"{GLANCE}/v2/images", tok, body={
        "name": IMAGE_NAME, "disk_format": "raw", "container_format": "bare", "visibility": "public",
        "min_disk": 0, "min_ram": 0})
    call("PUT", f"{GLANCE}/v2/images/{img['id']}/file", tok, raw=IMAGE_BYTES)
    print(f"uploaded image {IMAGE_NAME} ({len(IMAGE_BYTES)} bytes)")


def network():
    tok = admin_token()
    _, _, doc = call("GET", f"{NEUTRON}/v2.0/networks?name=public", tok)
    if doc["networks"]:
        net = doc["networks"][0]
    else:
        _, _, doc = call("POST", f"{NEUTRON}/v2.0/networks", tok, body={"network": {
            "name": "public", "router:external": True, "shared": True, "admin_state_up": True,
            "provider:network_type": "flat", "provider:physical_network": "public"}})
        net = doc["network"]
        print("created network public")
    _, _, doc = call("GET", f"{NEUTRON}/v2.0/subnets?network_id={net['id']}", tok)
    if not doc["subnets"]:
        # TEST-NET-3 (RFC 5737): documentation range; with no agents nothing is ever sent.
        call("POST", f"{NEUTRON}/v2.0/subnets", tok, body={"subnet": {
            "name": "public-subnet", "network_id": net["id"], "ip_version": 4,
            "cidr": "203.0.113.0/24", "gateway_ip": "203.0.113.1", "enable_dhcp": False,
            "allocation_pools": [{"start": "203.0.113.10", "end": "203.0.113.250"}]}})
        print("created subnet public-subnet 203.0.113.0/24")


def scoped(user, pw_var, project, password=None):
    """Token and project id for an account, or a ProvisionError naming it."""
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": user, "domain": {"id": "default"}, "password": password or os.environ[pw_var]}}},
        "scope": {"project": {"name": project, "domain": {"id": "default"}}}}}
    _, hdrs, doc = call("POST", f"{KEYSTONE}/auth/tokens", body=body, ok=(201,))
    return hdrs["X-Subject-Token"], doc["token"]["project"]["id"]


def smoke():
    """End-to-end checks a test run relies on; one line per check, fails on the first miss."""
    services = os.environ.get("DEVCLOUD_SERVICES", "keystone swift").split()
    toks = {}
    for user, pw_var, project, _ in ACCOUNTS + [("admin", "ADMIN_PASSWORD", "admin", None)]:
        toks[user] = scoped(user, pw_var, project)
        print(f"ok  token for {user} (project {project})")
    tok, pid = toks["devcloud-user"]
    if "swift" in services:
        acct = f"http://127.0.0.1:8080/v1/AUTH_{pid}"
        call("PUT", f"{acct}/devcloud-smoke", tok, ok=(201, 202))
        call("PUT", f"{acct}/devcloud-smoke/obj", tok, raw=b"smoke")
        with urllib.request.urlopen(urllib.request.Request(
                f"{acct}/devcloud-smoke/obj", headers={"X-Auth-Token": tok}), timeout=30) as resp:
            if resp.read() != b"smoke":
                raise ProvisionError("swift returned other bytes than were stored")
        call("DELETE", f"{acct}/devcloud-smoke/obj", tok)
        call("DELETE", f"{acct}/devcloud-smoke", tok)
        print("ok  swift container/object PUT, GET, DELETE as devcloud-user")
        rtok = toks["devcloud-reseller"][0]
        call("POST", acct, rtok, ok=(204,), extra={"X-Account-Meta-Quota-Bytes": "100000000000"})
        _, hdrs, _ = call("HEAD", acct, tok)
        if hdrs.get("X-Account-Meta-Quota-Bytes") != "100000000000":
            raise ProvisionError("quota set by the reseller is not visible on devcloud's account")
        call("POST", acct, rtok, ok=(204,), extra={"X-Remove-Account-Meta-Quota-Bytes": "x"})
        print("ok  reseller sets and removes X-Account-Meta-Quota-Bytes on devcloud's account")
        _, _, info = call("GET", "http://127.0.0.1:8080/info")
        missing = [k for k in ("tempurl", "formpost", "slo", "account_quotas", "container_quotas",
                               "versioned_writes", "staticweb", "bulk_delete", "symlink") if k not in info]
        if missing:
            raise ProvisionError(f"swift /info lacks {', '.join(missing)}")
        print("ok  swift /info lists the interop middlewares")
    if "glance" in services:
        _, _, doc = call("GET", f"{GLANCE}/v2/images?name={q(IMAGE_NAME)}", tok)
        if not any(i["status"] == "active" for i in doc["images"]):
            raise ProvisionError(f"image {IMAGE_NAME} is not active and visible to devcloud-user")
        print(f"ok  glance lists the public image {IMAGE_NAME}")
    if "neutron" in services:
        _, _, doc = call("GET", f"{NEUTRON}/v2.0/networks?name=public", tok)
        if not any(n.get("router:external") and n["subnets"] for n in doc["networks"]):
            raise ProvisionError("external network 'public' with a subnet is not visible to devcloud-user")
        print("ok  neutron shows the external network public")
    if "nova" in services:
        _, _, doc = nova("GET", "/flavors", tok)
        names = {f["name"] for f in doc["flavors"]}
        if not {f[1] for f in FLAVORS} <= names:
            raise ProvisionError(f"flavors {', '.join(f[1] for f in FLAVORS)} are not all visible to devcloud-user")
        print("ok  nova lists the public flavors " + ", ".join(f[1] for f in FLAVORS))
        smoke_compute(tok, pid, services)
    if "cinder" in services:
        smoke_volume(tok, pid)
    if "designate" in services:
        smoke_dns(tok)
    if "heat" in services:
        smoke_orchestration(tok, pid)


LOG_DIR = os.environ.get("DEVCLOUD_LOG_DIR", "/var/lib/defcore-devcloud/log")
COMPUTE_VERSION = {"OpenStack-API-Version": "compute 2.60", "X-OpenStack-Nova-API-Version": "2.60"}


def wait_for(what, probe, timeout, log=None, interval=1.0):
    """Poll probe() until it returns a true value; fail naming what and the log to read."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            hint = f"; see {LOG_DIR}/{log}.log" if log else ""
            raise ProvisionError(f"{what} not reached within {timeout}s{hint}")
        time.sleep(interval)


def nova(method, path, tok, body=None, ok=(200, 201, 202, 204)):
    return call(method, f"{NOVA}{path}", tok, body=body, ok=ok, extra=COMPUTE_VERSION)


def compute_services():
    """Wait until conductor, scheduler and compute report up (the compute has registered)."""
    tok = admin_token()
    want = {"nova-conductor", "nova-scheduler", "nova-compute"}

    def up():
        _, _, doc = nova("GET", "/os-services", tok)
        return want <= {s["binary"] for s in doc["services"] if s["state"] == "up" and s["status"] == "enabled"}
    wait_for("nova services up (conductor, scheduler, compute)", up, 180, "nova-compute")


def compute():
    """Hypervisor mapped and visible, public flavors present."""
    tok = admin_token()

    def mapped():
        _, _, doc = nova("GET", "/os-hypervisors", tok)
        return [h for h in doc["hypervisors"] if h.get("state") == "up"]
    wait_for("a hypervisor mapped into cell1", mapped, 120, "nova-compute")
    _, _, doc = nova("GET", "/flavors?is_public=None", tok)
    have = {f["id"]: f["name"] for f in doc["flavors"]}
    for fid, name, vcpus, ram, disk in FLAVORS:
        if have.get(fid) == name:
            continue
        nova("POST", "/flavors", tok, body={"flavor": {
            "id": fid, "name": name, "vcpus": vcpus, "ram": ram, "disk": disk, "os-flavor-access:is_public": True}})
        print(f"created flavor {name}")


def cinder_url(project_id):
    return CINDER % {"project_id": project_id}


def volume():
    """Scheduler and volume service up; the default volume type exists."""
    tok, pid = scoped("admin", "ADMIN_PASSWORD", "admin")
    base = cinder_url(pid)

    def up():
        _, _, doc = call("GET", f"{base}/os-services", tok)
        return {"cinder-scheduler", "cinder-volume"} <= {
            s["binary"] for s in doc["services"] if s["state"] == "up" and s["status"] == "enabled"}
    wait_for("cinder services up (scheduler, volume)", up, 180, "cinder-volume")
    _, _, doc = call("GET", f"{base}/types?is_public=None", tok)
    if not any(t["name"] == VOLUME_TYPE for t in doc["volume_types"]):
        raise ProvisionError(f"volume type {VOLUME_TYPE} is missing (cinder-manage db sync creates it)")


def server_wait(tok, sid, status, timeout=120):
    def probe():
        _, _, doc = nova("GET", f"/servers/{sid}", tok)
        srv = doc["server"]
        if srv["status"] == "ERROR":
            raise ProvisionError(f"server went to ERROR: {srv.get('fault', {}).get('message', '?')}")
        return srv if srv["status"] == status and not srv.get("OS-EXT-STS:task_state") else None
    return wait_for(f"server status {status}", probe, timeout, "nova-compute", 0.5)


def action(tok, sid, body):
    nova("POST", f"/servers/{sid}/action", tok, body=body)


def image_wait(tok, image_id, timeout=120):
    def probe():
        _, _, img = call("GET", f"{GLANCE}/v2/images/{image_id}", tok)
        if img["status"] in ("killed", "deleted"):
            raise ProvisionError(f"image {image_id} went to {img['status']}")
        return img if img["status"] == "active" else None
    return wait_for("image status active", probe, timeout, "glance-api", 0.5)


def volume_wait(tok, base, vid, status, timeout=120):
    def probe():
        _, _, doc = call("GET", f"{base}/volumes/{vid}", tok)
        v = doc["volume"]
        if v["status"].startswith("error"):
            raise ProvisionError(f"volume went to {v['status']}")
        return v if v["status"] == status else None
    return wait_for(f"volume status {status}", probe, timeout, "cinder-volume", 0.5)


def gone(url, tok, what, log, timeout=120, extra=None):
    def probe():
        status, _, _ = call("GET", url, tok, ok=(200, 404), extra=extra)
        return status == 404
    wait_for(f"{what} deleted", probe, timeout, log, 0.5)


def smoke_compute(tok, pid, services):
    """A server's life cycle on a private network, as devcloud-user."""
    stamp = f"devcloud-smoke-{int(time.time())}"
    _, _, doc = call("GET", f"{GLANCE}/v2/images?name={q(IMAGE_NAME)}", tok)
    image_id = doc["images"][0]["id"]
    _, _, doc = call("POST", f"{NEUTRON}/v2.0/networks", tok, body={"network": {"name": stamp}})
    net = doc["network"]
    sid = None
    vol = None
    base = cinder_url(pid)
    try:
        call("POST", f"{NEUTRON}/v2.0/subnets", tok, body={"subnet": {
            "name": stamp, "network_id": net["id"], "ip_version": 4, "cidr": "10.250.0.0/24"}})
        _, _, doc = nova("POST", "/servers", tok, body={"server": {
            "name": stamp, "imageRef": image_id, "flavorRef": "42", "networks": [{"uuid": net["id"]}]}})
        sid = doc["server"]["id"]
        srv = server_wait(tok, sid, "ACTIVE")
        if not srv.get("addresses", {}).get(stamp):
            raise ProvisionError("ACTIVE server has no address on its network")
        print("ok  server boots to ACTIVE on a private network (port bound)")
        action(tok, sid, {"os-stop": None})
        server_wait(tok, sid, "SHUTOFF")
        action(tok, sid, {"os-start": None})
        server_wait(tok, sid, "ACTIVE")
        action(tok, sid, {"reboot": {"type": "SOFT"}})
        server_wait(tok, sid, "ACTIVE")
        print("ok  server stop, start, reboot")
        action(tok, sid, {"resize": {"flavorRef": "84"}})
        server_wait(tok, sid, "VERIFY_RESIZE")
        action(tok, sid, {"confirmResize": None})
        srv = server_wait(tok, sid, "ACTIVE")
        if srv["flavor"].get("original_name") != "m1.micro":
            raise ProvisionError(f"resized server has flavor {srv['flavor'].get('original_name')}, not m1.micro")
        action(tok, sid, {"rebuild": {"imageRef": image_id}})
        server_wait(tok, sid, "ACTIVE")
        print("ok  server resize + confirm (m1.nano -> m1.micro), rebuild")
        action(tok, sid, {"lock": None})
        if not nova("GET", f"/servers/{sid}", tok)[2]["server"]["locked"]:
            raise ProvisionError("lock did not lock the server")
        action(tok, sid, {"unlock": None})
        if nova("GET", f"/servers/{sid}", tok)[2]["server"]["locked"]:
            raise ProvisionError("unlock did not unlock the server")
        print("ok  server lock, unlock")
        _, _, doc = nova("POST", f"/servers/{sid}/action", tok, body={"createImage": {"name": stamp}})
        snap = doc["image_id"]
        try:
            image_wait(tok, snap)
            server_wait(tok, sid, "ACTIVE")
        finally:
            call("DELETE", f"{GLANCE}/v2/images/{snap}", tok, ok=(204, 404))
        print("ok  server to image (createImage) reaches active")
        if "cinder" in services:
            _, _, doc = call("POST", f"{base}/volumes", tok, body={"volume": {"size": 1, "name": stamp}})
            vol = doc["volume"]["id"]
            volume_wait(tok, base, vol, "available")
            nova("POST", f"/servers/{sid}/os-volume_attachments", tok,
                 body={"volumeAttachment": {"volumeId": vol}})
            volume_wait(tok, base, vol, "in-use")
            nova("DELETE", f"/servers/{sid}/os-volume_attachments/{vol}", tok)
            volume_wait(tok, base, vol, "available")
            print("ok  volume attach to the server and detach")
    finally:
        if sid:
            nova("DELETE", f"/servers/{sid}", tok, ok=(204, 404))
            gone(f"{NOVA}/servers/{sid}", tok, "server", "nova-compute", extra=COMPUTE_VERSION)
        if vol:
            call("DELETE", f"{base}/volumes/{vol}", tok, ok=(202, 404))
            gone(f"{base}/volumes/{vol}", tok, "volume", "cinder-volume")
        call("DELETE", f"{NEUTRON}/v2.0/networks/{net['id']}", tok, ok=(204, 404))
    print("ok  server, volume, network deleted")


def smoke_volume(tok, pid):
    """Volume create, extend, snapshot, upload to image, delete, as devcloud-user."""
    stamp = f"devcloud-smoke-{int(time.time())}"
    base = cinder_url(pid)
    _, _, doc = call("POST", f"{base}/volumes", tok, body={"volume": {"size": 1, "name": stamp}})
    vid = doc["volume"]["id"]
    try:
        v = volume_wait(tok, base, vid, "available")
        if v.get("volume_type") != VOLUME_TYPE:
            raise ProvisionError(f"new volume has type {v.get('volume_type')}, not {VOLUME_TYPE}")
        call("POST", f"{base}/volumes/{vid}/action", tok, body={"os-extend": {"new_size": 2}})

        def extended():
            v = call("GET", f"{base}/volumes/{vid}", tok)[2]["volume"]
            if v["status"].startswith("error"):
                raise ProvisionError(f"volume went to {v['status']} while extending")
            return v["size"] == 2 and v["status"] == "available"
        wait_for("volume extended to 2 GB", extended, 120, "cinder-volume", 0.5)
        print("ok  volume create (type __DEFAULT__) and extend")
        _, _, doc = call("POST", f"{base}/snapshots", tok, body={"snapshot": {"volume_id": vid, "name": stamp}})
        snap = doc["snapshot"]["id"]

        def snap_ready():
            s = call("GET", f"{base}/snapshots/{snap}", tok)[2]["snapshot"]
            if s["status"].startswith("error"):
                raise ProvisionError(f"snapshot went to {s['status']}")
            return s["status"] == "available"
        wait_for("snapshot available", snap_ready, 120, "cinder-volume", 0.5)
        call("DELETE", f"{base}/snapshots/{snap}", tok)
        gone(f"{base}/snapshots/{snap}", tok, "snapshot", "cinder-volume")
        print("ok  volume snapshot create and delete")
        _, _, doc = call("POST", f"{base}/volumes/{vid}/action", tok, body={"os-volume_upload_image": {
            "image_name": stamp, "disk_format": "raw", "container_format": "bare", "force": False}})
        image_id = doc["os-volume_upload_image"]["image_id"]
        try:
            image_wait(tok, image_id)
            volume_wait(tok, base, vid, "available")
        finally:
            call("DELETE", f"{GLANCE}/v2/images/{image_id}", tok, ok=(204, 404))
        print("ok  volume upload to image reaches active")
    finally:
        call("DELETE", f"{base}/volumes/{vid}", tok, ok=(202, 404))
        gone(f"{base}/volumes/{vid}", tok, "volume", "cinder-volume")
    print("ok  volume deleted")


# ---- the variant cloud ----------------------------------------------------------
# The same services seen as vendors' clouds often are: another region, own projects, private
# zero-disk flavors listed first (Nova's default policy refuses them for image-backed servers),
# images of which several are not bootable, a second external network the projects may not use.
VARIANT_REGION = "RegionTwo"
VARIANT_ACCOUNTS = [("devcloud-variant-user", "devcloud-variant-project"),
                    ("devcloud-variant-alt-user", "devcloud-variant-alt-project")]
# (id, name, vcpus, ram MB, disk GB): ids sort before the public flavors' ("10" < "126" < "42").
VARIANT_FLAVORS = [("10", "v1.zero", 1, 128, 0), ("11", "v1.zero-large", 2, 512, 0)]
# (name, disk format, container format, upload?, min_disk, min_ram), private to the variant project.
VARIANT_IMAGES = [
    ("cirros-kernel", "aki", "aki", True, 0, 0),
    ("cirros-ramdisk", "ari", "ari", True, 0, 0),
    ("cirros-live.iso", "iso", "bare", True, 0, 0),
    ("cirros-queued", "qcow2", "bare", False, 0, 0),  # never uploaded: stays queued
    ("variant-tiny", "raw", "bare", True, 1, 160),  # bootable, but not on m1.nano (128 MB)
]
VARIANT_NETWORK = "public-2"


def variant_password(user):
    """Derived from the dev cloud's own secret: stable across runs, nothing new to store."""
    return hashlib.sha256(f"{os.environ['DEMO_PASSWORD']}:{user}".encode()).hexdigest()[:32]


def variant_catalog(tok):
    """Every RegionOne endpoint again in RegionTwo (same URL)."""
    status, _, _ = call("GET", f"{KEYSTONE}/regions/{VARIANT_REGION}", tok, ok=(200, 404))
    if status == 404:
        call("POST", f"{KEYSTONE}/regions", tok, body={"region": {"id": VARIANT_REGION, "description": "defcore variant"}})
        print(f"created region {VARIANT_REGION}")
    _, _, doc = call("GET", f"{KEYSTONE}/endpoints", tok)
    eps = doc["endpoints"]
    have = {(e["service_id"], e["interface"]) for e in eps if e.get("region_id") == VARIANT_REGION}
    for e in eps:
        if e.get("region_id") == REGION and (e["service_id"], e["interface"]) not in have:
            call("POST", f"{KEYSTONE}/endpoints", tok, body={"endpoint": {
                "service_id": e["service_id"], "interface": e["interface"], "url": e["url"],
                "region_id": VARIANT_REGION, "enabled": True}})
            print(f"created {e['interface']} endpoint of service {e['service_id']} in {VARIANT_REGION}")


def variant_clouds_yaml(path):
    def entry(name, user, password, project):
        return (f"  {name}:\n    auth:\n      auth_url: {KEYSTONE}\n      username: {user}\n"
                f"      password: \"{password}\"\n      project_name: {project}\n"
                f"      user_domain_name: Default\n      project_domain_name: Default\n"
                f"    region_name: {VARIANT_REGION}\n    identity_api_version: 3\n    interface: public\n")
    text = "# Generated by scripts/dev-cloud (variant cloud); contains passwords of a local test cloud. Do not commit.\nclouds:\n"
    text += entry("devcloud-variant", VARIANT_ACCOUNTS[0][0], variant_password(VARIANT_ACCOUNTS[0][0]), VARIANT_ACCOUNTS[0][1])
    text += entry("devcloud-variant-alt", VARIANT_ACCOUNTS[1][0], variant_password(VARIANT_ACCOUNTS[1][0]), VARIANT_ACCOUNTS[1][1])
    text += entry("devcloud-variant-admin", "admin", os.environ["ADMIN_PASSWORD"], "admin")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def variant():
    """The variant cloud (idempotent); writes its clouds.yaml to $DEVCLOUD_VARIANT_CLOUDS."""
    services = os.environ.get("DEVCLOUD_SERVICES", "").split()
    tok = admin_token()
    variant_catalog(tok)
    member = ensure_role(tok, "member")
    projects = []
    for user, project in VARIANT_ACCOUNTS:
        p = ensure_project(tok, project)
        u = ensure_user(tok, user, variant_password(user), p)
        grant(tok, p, u, member)
        projects.append(p)
    if "nova" in services:
        _, _, doc = nova("GET", "/flavors?is_public=None", tok)
        have = {f["id"]: f["name"] for f in doc["flavors"]}
        for fid, name, vcpus, ram, disk in VARIANT_FLAVORS:
            if have.get(fid) != name:
                nova("POST", "/flavors", tok, body={"flavor": {
                    "id": fid, "name": name, "vcpus": vcpus, "ram": ram, "disk": disk, "os-flavor-access:is_public": False}})
                print(f"created private flavor {name} (zero disk)")
            _, _, acc = nova("GET", f"/flavors/{fid}/os-flavor-access", tok)
            granted = {a["tenant_id"] for a in acc["flavor_access"]}
            for p in projects:
                if p["id"] not in granted:
                    nova("POST", f"/flavors/{fid}/action", tok, body={"addTenantAccess": {"tenant": p["id"]}})
    if "glance" in services:
        utok, _ = scoped(VARIANT_ACCOUNTS[0][0], None, VARIANT_ACCOUNTS[0][1], variant_password(VARIANT_ACCOUNTS[0][0]))
        for name, disk, container, upload, min_disk, min_ram in VARIANT_IMAGES:
            _, _, doc = call("GET", f"{GLANCE}/v2/images?name={q(name)}&visibility=private", utok)
            want = "active" if upload else "queued"
            if any(i["status"] == want for i in doc["images"]):
                continue
            for img in doc["images"]:
                call("DELETE", f"{GLANCE}/v2/images/{img['id']}", utok, ok=(204, 404))
            _, _, img = call("POST", f"{GLANCE}/v2/images", utok, body={
                "name": name, "disk_format": disk, "container_format": container, "visibility": "private",
                "min_disk": min_disk, "min_ram": min_ram})
            if upload:
                call("PUT", f"{GLANCE}/v2/images/{img['id']}/file", utok, raw=IMAGE_BYTES)
            print(f"created private image {name} ({disk}, {want})")
    if "neutron" in services:
        _, _, doc = call("GET", f"{NEUTRON}/v2.0/networks?name={VARIANT_NETWORK}", tok)
        if doc["networks"]:
            net = doc["networks"][0]
        else:
            _, _, doc = call("POST", f"{NEUTRON}/v2.0/networks", tok, body={"network": {
                # A VXLAN segment: the flat physnet is taken by "public" (one flat network per physnet).
                "name": VARIANT_NETWORK, "router:external": True, "shared": False, "admin_state_up": True}})
            net = doc["network"]
            print(f"created external network {VARIANT_NETWORK} (not shared)")
        _, _, doc = call("GET", f"{NEUTRON}/v2.0/subnets?network_id={net['id']}", tok)
        if not doc["subnets"]:
            # TEST-NET-2 (RFC 5737): documentation range; nothing is ever sent.
            call("POST", f"{NEUTRON}/v2.0/subnets", tok, body={"subnet": {
                "name": f"{VARIANT_NETWORK}-subnet", "network_id": net["id"], "ip_version": 4,
                "cidr": "198.51.100.0/24", "gateway_ip": "198.51.100.1", "enable_dhcp": False}})
            print(f"created subnet {VARIANT_NETWORK}-subnet 198.51.100.0/24")
    path = os.environ.get("DEVCLOUD_VARIANT_CLOUDS")
    if path:
        variant_clouds_yaml(path)


def orchestration():
    """Heat's stack-user domain and its administrator (heat.conf: stack_domain_admin)."""
    tok = admin_token()
    domain = find_one(tok, "domains", "domains", name="heat")
    if domain is None:
        _, _, doc = call("POST", f"{KEYSTONE}/domains", tok, body={"domain": {
            "name": "heat", "description": "Heat stack users", "enabled": True}})
        domain = doc["domain"]
        print("created domain heat")
    password = os.environ["HEAT_DOMAIN_PASSWORD"]
    user = find_one(tok, "users", "users", name="heat_domain_admin", domain_id=domain["id"])
    if user is None:
        _, _, doc = call("POST", f"{KEYSTONE}/users", tok, body={"user": {
            "name": "heat_domain_admin", "domain_id": domain["id"], "password": password, "enabled": True}})
        user = doc["user"]
        print("created user heat_domain_admin")
    else:
        call("PATCH", f"{KEYSTONE}/users/{user['id']}", tok, body={"user": {"password": password, "enabled": True}})
    role = ensure_role(tok, "admin")
    call("PUT", f"{KEYSTONE}/domains/{domain['id']}/users/{user['id']}/roles/{role['id']}", tok)
    # Heat's own role for stack users (heat.conf heat_stack_user_role, default heat_stack_user).
    ensure_role(tok, "heat_stack_user")


def dig(name, rtype):
    """Answers of BIND for name/rtype (dig +short), or None when BIND does not serve the name."""
    out = subprocess.run(["dig", "+time=2", "+tries=1", "+norecurse", "-p", str(DNS_SERVER[1]),
                          f"@{DNS_SERVER[0]}", name, rtype], capture_output=True, text=True, timeout=15)
    if "status: NOERROR" not in out.stdout:
        return None
    answer = out.stdout.split(";; ANSWER SECTION:")
    if len(answer) < 2:
        return []
    lines = [ln for ln in answer[1].split("\n\n")[0].splitlines() if ln and not ln.startswith(";")]
    return [ln.split(None, 4)[4] for ln in lines if len(ln.split(None, 4)) == 5]


def smoke_dns(tok):
    """A zone and a record created through Designate answer from BIND; deleted, they stop answering."""
    stamp = f"devcloud-smoke-{int(time.time())}"
    zone_name = f"{stamp}.test."
    _, _, zone = call("POST", f"{DESIGNATE}/v2/zones", tok, body={
        "name": zone_name, "email": f"hostmaster@{stamp}.test", "ttl": 600})
    zid = zone["id"]
    try:
        def zone_active():
            _, _, z = call("GET", f"{DESIGNATE}/v2/zones/{zid}", tok)
            if z["status"] == "ERROR":
                raise ProvisionError(f"zone {zone_name} went to ERROR")
            return z["status"] == "ACTIVE"
        wait_for(f"zone {zone_name} ACTIVE", zone_active, 120, "designate-worker", 0.5)
        soa = wait_for(f"SOA of {zone_name} from BIND", lambda: dig(zone_name, "SOA"), 60, "named", 0.5)
        print(f"ok  zone {zone_name} ACTIVE and served by BIND 9 on 127.0.0.1:{DNS_SERVER[1]} (SOA {soa[0].split()[0]})")
        call("POST", f"{DESIGNATE}/v2/zones/{zid}/recordsets", tok, body={
            "name": f"www.{zone_name}", "type": "A", "records": ["192.0.2.7"], "ttl": 300})
        wait_for(f"A record www.{zone_name} from BIND", lambda: dig(f"www.{zone_name}", "A") == ["192.0.2.7"],
                 60, "designate-worker", 0.5)
        print(f"ok  recordset www.{zone_name} A 192.0.2.7 answers from BIND")
    finally:
        call("DELETE", f"{DESIGNATE}/v2/zones/{zid}", tok, ok=(202, 404))
        gone(f"{DESIGNATE}/v2/zones/{zid}", tok, "zone", "designate-worker")
    wait_for(f"BIND to stop serving {zone_name}", lambda: dig(zone_name, "SOA") is None, 60, "named", 0.5)
    print("ok  zone deleted and no longer served")


def smoke_orchestration(tok, pid):
    """A stack of one OS::Heat::TestResource is created, updated and deleted."""
    stamp = f"devcloud-smoke-{int(time.time())}"
    base = HEAT.replace("$(project_id)s", pid)
    template = {"heat_template_version": "2016-04-08",
                "parameters": {"v": {"type": "string"}},
                "resources": {"test": {"type": "OS::Heat::TestResource", "properties": {"value": {"get_param": "v"}}}},
                "outputs": {"out": {"value": {"get_attr": ["test", "output"]}}}}
    _, _, doc = call("POST", f"{base}/stacks", tok, body={"stack_name": stamp, "template": template,
                                                         "parameters": {"v": "one"}, "disable_rollback": True})
    sid = doc["stack"]["id"]
    url = f"{base}/stacks/{stamp}/{sid}"

    def settled(want):
        def probe():
            _, _, st = call("GET", url, tok)
            status = st["stack"]["stack_status"]
            if status.endswith("_FAILED"):
                raise ProvisionError(f"stack went to {status}: {st['stack'].get('stack_status_reason')}")
            return st["stack"] if status == want else None
        return probe
    try:
        wait_for("stack CREATE_COMPLETE", settled("CREATE_COMPLETE"), 120, "heat-engine", 0.5)
        call("PATCH", url, tok, body={"parameters": {"v": "two"}})
        st = wait_for("stack UPDATE_COMPLETE", settled("UPDATE_COMPLETE"), 120, "heat-engine", 0.5)
        outputs = {o["output_key"]: o.get("output_value") for o in st.get("outputs", [])}
        if outputs.get("out") != "two":
            raise ProvisionError(f"stack output after update is {outputs.get('out')!r}, not 'two'")
        print("ok  heat stack (OS::Heat::TestResource) created and updated")
    finally:
        call("DELETE", url, tok, ok=(204, 404))

        def deleted():
            status, _, st = call("GET", url, tok, ok=(200, 404))
            return status == 404 or st["stack"]["stack_status"] == "DELETE_COMPLETE"
        wait_for("stack deleted", deleted, 120, "heat-engine", 0.5)
    print("ok  heat stack deleted")
    smoke_cfn_signal(tok, base)


def smoke_cfn_signal(tok, base):
    """A wait condition is released through its pre-signed CFN_SIGNAL URL on heat-api-cfn (as a
    software deployment's agent signals): Keystone accepts the stack user's EC2 signature."""
    stamp = f"devcloud-smoke-cfn-{int(time.time())}"
    template = {"heat_template_version": "2016-04-08",
                "resources": {
                    "handle": {"type": "OS::Heat::WaitConditionHandle", "properties": {"signal_transport": "CFN_SIGNAL"}},
                    "wait": {"type": "OS::Heat::WaitCondition",
                             "properties": {"handle": {"get_resource": "handle"}, "count": 1, "timeout": 120}}}}
    _, _, doc = call("POST", f"{base}/stacks", tok, body={"stack_name": stamp, "template": template,
                                                         "disable_rollback": True})
    url = f"{base}/stacks/{stamp}/{doc['stack']['id']}"
    try:
        def signal_url():
            status, _, res = call("GET", f"{url}/resources/handle", tok, ok=(200, 404))
            if status != 200 or res["resource"]["resource_status"] != "CREATE_COMPLETE":
                return None
            signal = res["resource"].get("attributes", {}).get("signal") or {}
            # Heat answers this attribute as a JSON document in a string.
            return (json.loads(signal) if isinstance(signal, str) else signal).get("alarm_url")
        alarm = wait_for("the wait condition handle's signal URL", signal_url, 120, "heat-engine", 0.5)
        if not alarm.startswith("http://127.0.0.1:8000/"):
            raise ProvisionError(f"the signal URL is not on heat-api-cfn at 127.0.0.1:8000: {alarm.split('?')[0]}")
        # Pre-signed: no token; the query carries the signature (never printed). Heat signs wait
        # condition URLs for PUT (deployments' /v1/signal/ URLs for POST).
        call("PUT", alarm, body={"status": "SUCCESS", "reason": "smoke", "data": "ok", "id": "1"})

        def settled():
            _, _, st = call("GET", url, tok)
            status = st["stack"]["stack_status"]
            if status.endswith("_FAILED"):
                raise ProvisionError(f"stack went to {status}: {st['stack'].get('stack_status_reason')}")
            return status == "CREATE_COMPLETE"
        wait_for("signalled stack CREATE_COMPLETE", settled, 120, "heat-api-cfn", 0.5)
        print("ok  heat-api-cfn: a pre-signed CFN_SIGNAL URL released a wait condition")
    finally:
        call("DELETE", url, tok, ok=(204, 404))

        def deleted():
            status, _, st = call("GET", url, tok, ok=(200, 404))
            return status == 404 or st["stack"]["stack_status"] == "DELETE_COMPLETE"
        wait_for("signalled stack deleted", deleted, 120, "heat-engine", 0.5)


def main():
    actions = {"identity": identity, "image": image, "network": network, "compute-services": compute_services,
               "compute": compute, "volume": volume, "orchestration": orchestration, "smoke": smoke, "variant": variant}
    if len(sys.argv) != 2 or sys.argv[1] not in actions:
        print("usage: provision.py " + "|".join(actions), file=sys.stderr)
        return 2
    try:
        actions[sys.argv[1]]()
    except ProvisionError as err:
        print(f"dev-cloud: provisioning ({sys.argv[1]}) failed: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
