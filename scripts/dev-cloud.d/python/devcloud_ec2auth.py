#!/usr/bin/python3
"""Keystone on 127.0.0.1:5002 for heat-api-cfn, with Heat's service token on EC2 validations.

Keystone now allows POST /v3/ec2tokens (turning an EC2 signature into a token) only to
services and admins, and Heat releases that authenticate there as the heat service user
do so; Debian 12's heat-api-cfn still calls it anonymously and gets 401 for every
pre-signed signal. This forwards everything to Keystone on 127.0.0.1:5000 unchanged and
adds the heat service user's token (from heat.conf [trustee]) to POST /v3/ec2tokens only,
which is what an up-to-date heat-api-cfn sends itself.

Usage: devcloud_ec2auth.py <heat.conf>   (stdlib only; loopback only)
"""
import configparser
import http.server
import json
import sys
import threading
import time
import urllib.error
import urllib.request

KEYSTONE = "http://127.0.0.1:5000"
LISTEN = ("127.0.0.1", 5002)
# A request to Keystone never waits longer than this.
TIMEOUT_S = 30
# Bodies here are EC2 credential documents and tokens: small.
MAX_BODY = 1024 * 1024
# The service token is renewed well before Keystone's default one-hour expiry.
TOKEN_TTL_S = 1800
HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "host", "content-length", "proxy-connection"}


class ServiceToken:
    def __init__(self, conf_path):
        cp = configparser.RawConfigParser(strict=False, interpolation=None)
        cp.read(conf_path)
        self.user = cp.get("keystone_authtoken", "username")
        self.password = cp.get("keystone_authtoken", "password")
        self.project = cp.get("keystone_authtoken", "project_name")
        self.lock = threading.Lock()
        self.token = None
        self.at = 0.0

    def get(self, fresh=False):
        with self.lock:
            if fresh or self.token is None or time.monotonic() - self.at > TOKEN_TTL_S:
                body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
                    "name": self.user, "domain": {"name": "Default"}, "password": self.password}}},
                    "scope": {"project": {"name": self.project, "domain": {"name": "Default"}}}}}
                req = urllib.request.Request(f"{KEYSTONE}/v3/auth/tokens", data=json.dumps(body).encode(),
                                             method="POST", headers={"Content-Type": "application/json"})
                with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                    self.token = resp.headers["X-Subject-Token"]
                self.at = time.monotonic()
            return self.token


def handler(service):
    class Forward(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # no query strings or tokens in the log: method, path, status
            pass

        def forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_error(413)
                return
            data = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
            validating = self.command == "POST" and self.path.rstrip("/").endswith("/v3/ec2tokens")
            for attempt in (0, 1):
                if validating:
                    headers["X-Auth-Token"] = service.get(fresh=attempt == 1)
                req = urllib.request.Request(KEYSTONE + self.path, data=data, method=self.command, headers=headers)
                try:
                    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as resp:
                        status, rh, body = resp.status, resp.headers, resp.read(MAX_BODY)
                except urllib.error.HTTPError as err:
                    status, rh, body = err.code, err.headers, err.read(MAX_BODY)
                except OSError as err:
                    self.send_error(502, f"keystone: {type(err).__name__}")
                    return
                # A service token Keystone no longer accepts: once more with a new one.
                if not (validating and status == 401 and attempt == 0 and b"Invalid EC2" not in body):
                    break
            print(f"{self.command} {self.path.split('?')[0]} -> {status}", flush=True)
            self.send_response(status)
            for k, v in rh.items():
                if k.lower() not in HOP_HEADERS:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = forward

    return Forward


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    service = ServiceToken(sys.argv[1])
    server = http.server.ThreadingHTTPServer(LISTEN, handler(service))
    server.daemon_threads = True
    print(f"listening on {LISTEN[0]}:{LISTEN[1]}, forwarding to {KEYSTONE}", flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
