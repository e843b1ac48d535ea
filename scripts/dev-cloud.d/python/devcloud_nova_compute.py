#!/usr/bin/python3
"""nova-compute for the dev cloud: Nova's own service entry point, with this directory's
nova_virt/ added to the nova.virt package so `compute_driver = devcloud_fake.SnapshotFakeDriver`
loads (Nova only imports drivers as nova.virt.<name>)."""
import os
import sys

from nova.cmd import compute  # monkey-patches eventlet first, as the packaged script does
import nova.virt

nova.virt.__path__.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "nova_virt"))

if __name__ == "__main__":
    sys.exit(compute.main())
