"""Offline replica of turan.az: a deterministic generated site, its HTTP server and its ground truth.

Shares no code with the parsers it is used to test (markup contract: MARKUP.md).
"""

from replica.server import ReplicaServer, running_replica, running_server, serve
from replica.site import ReplicaSite

__all__ = ["ReplicaServer", "ReplicaSite", "running_replica", "running_server", "serve"]
