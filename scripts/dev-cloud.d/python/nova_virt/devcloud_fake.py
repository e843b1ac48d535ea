"""Nova's fake compute driver, plus a snapshot that really uploads an image.

The stock FakeDriver.snapshot() never sends data to Glance, so createImage leaves the
image queued forever. This one uploads a few bytes, the way the libvirt driver finishes a
snapshot (metadata update with the data), so the image becomes active.
"""
import io

from nova.compute import task_states
from nova import exception
from nova.image import glance
from nova.virt import fake

SNAPSHOT_BYTES = b"defcore dev-cloud fake snapshot\n" * 32


class SnapshotFakeDriver(fake.FakeDriver):
    """FakeDriver whose snapshots reach status active in Glance."""

    def snapshot(self, context, instance, image_id, update_task_state):
        if instance.uuid not in self.instances:
            raise exception.InstanceNotRunning(instance_id=instance.uuid)
        update_task_state(task_state=task_states.IMAGE_PENDING_UPLOAD)
        image_api = glance.API()
        image_api.get(context, image_id)
        update_task_state(task_state=task_states.IMAGE_UPLOADING,
                          expected_state=task_states.IMAGE_PENDING_UPLOAD)
        metadata = {"disk_format": "raw", "container_format": "bare",
                    "properties": {"image_location": "snapshot", "image_state": "available",
                                   "owner_id": instance.project_id}}
        image_api.update(context, image_id, metadata, io.BytesIO(SNAPSHOT_BYTES),
                         purge_props=False)
