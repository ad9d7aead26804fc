from .runs import snapshot_nightly, snapshot_request, snapshot_run
from .snapshots import compute_snapshots, incident_outcome

__all__ = ["compute_snapshots", "incident_outcome", "snapshot_nightly", "snapshot_request", "snapshot_run"]
