"""Cinder volume driver for the dev cloud: Cinder's in-tree fake driver, plus image copies.

FakeLoggingVolumeDriver (shipped in python3-cinder) stores nothing, which is right for a
machine without device-mapper; but a few operations it inherits from the LVM driver touch
volume groups or run qemu-img on block devices that do not exist. Here upload-to-image sends a
few bytes, create-from-image reads the image without writing it anywhere, and extend and
revert only record the change (the database is the whole volume).
"""
import io

from cinder.tests import fake_driver

UPLOAD_BYTES = b"defcore dev-cloud fake volume\n" * 32


class FakeImageVolumeDriver(fake_driver.FakeLoggingVolumeDriver):
    """Fake volumes whose image uploads reach status active."""

    def copy_volume_to_image(self, context, volume, image_service, image_meta):
        meta = {"disk_format": image_meta.get("disk_format") or "raw",
                "container_format": image_meta.get("container_format") or "bare"}
        image_service.update(context, image_meta["id"], meta, io.BytesIO(UPLOAD_BYTES))

    def copy_image_to_volume(self, context, volume, image_service, image_id, **_kwargs):
        # Fetch and discard: proves the image is readable, as a real copy would.
        for _chunk in image_service.download(context, image_id) or ():
            pass

    def extend_volume(self, volume, new_size):
        pass

    def revert_to_snapshot(self, context, volume, snapshot):
        pass
