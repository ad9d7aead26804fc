"""A computation of the snapshots as a recorded run: the nightly one and the one a lead asks for."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError

from ..models import SnapshotRun
from .snapshots import compute_snapshots


def snapshot_request(*, acting_user) -> SnapshotRun:
    """A lead asks for a fresh computation. One at a time: a run already queued or running is returned."""
    actor = access.require_actor(acting_user)
    if not actor.is_lead:
        raise ApplicationError(_("Bara en chef kan begära en ny beräkning."), code="lead_required")
    from ..tasks import compute_snapshots_for_run

    with transaction.atomic():
        pending = (
            SnapshotRun.objects.select_for_update()
            .filter(status__in=[SnapshotRun.Status.QUEUED, SnapshotRun.Status.RUNNING])
            .first()
        )
        if pending is not None:
            return pending
        run = SnapshotRun.objects.create(trigger=SnapshotRun.Trigger.LEAD, requested_by=acting_user)
        transaction.on_commit(lambda: compute_snapshots_for_run.delay(run.pk))
    return run


def snapshot_run(*, run: SnapshotRun) -> SnapshotRun:
    """Compute the snapshots for a recorded run, reporting progress on it."""
    if run.status == SnapshotRun.Status.DONE:
        return run  # a redelivered task: the work is done

    def progress(per_cent: int) -> None:
        SnapshotRun.objects.filter(pk=run.pk).update(progress=per_cent)

    SnapshotRun.objects.filter(pk=run.pk).update(status=SnapshotRun.Status.RUNNING, progress=0)
    as_of = timezone.localdate()
    try:
        rows = compute_snapshots(as_of=as_of, progress=progress)
    except Exception as exc:
        SnapshotRun.objects.filter(pk=run.pk).update(
            status=SnapshotRun.Status.FAILED, error=str(exc)[:2000], finished_at=timezone.now()
        )
        raise
    SnapshotRun.objects.filter(pk=run.pk).update(
        status=SnapshotRun.Status.DONE, progress=100, rows=rows, as_of=as_of, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run


def snapshot_nightly() -> SnapshotRun:
    run = SnapshotRun.objects.create(trigger=SnapshotRun.Trigger.NIGHTLY)
    return snapshot_run(run=run)
