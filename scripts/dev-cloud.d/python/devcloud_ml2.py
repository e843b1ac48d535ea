"""ML2 mechanism driver for the dev cloud: binds every port to its first segment.

The dev cloud runs neutron-server without agents (there is no datapath), so no stock
mechanism driver can bind a port and every server boot would fail with PortBindingFailed.
Nova's fake compute driver plugs nothing, so any VIF type will do; ports become ACTIVE
as they would once a real agent had wired them.
"""
from neutron_lib.api.definitions import portbindings
from neutron_lib import constants
from neutron_lib.plugins.ml2 import api


class BindAllMechanismDriver(api.MechanismDriver):
    """Bind any port, on any host, to the first segment offered."""

    def initialize(self):
        pass

    def bind_port(self, context):
        for segment in context.segments_to_bind:
            context.set_binding(segment[api.ID], portbindings.VIF_TYPE_OTHER,
                                {portbindings.CAP_PORT_FILTER: False},
                                status=constants.PORT_STATUS_ACTIVE)
            return
