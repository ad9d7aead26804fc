"""THE access gate. The only module that decides which protected records a user may see or change.

Every list, detail, form, API view, export, dashboard and task that touches case data comes here:

- `visible(user, Model, action)`      a composable QuerySet of what the user may see (or change)
- `visible_page(user, Model, ...)`    the fast, logged, cursor-paginated list path
- `get_or_404(user, Model, pk, ...)`  one record or Http404 — the same for missing and forbidden; logged
- `can(user, obj, action)`            a yes/no for an object already loaded (at most one query)
- `owns`, `owned_ids`, `acts_for`,     the questions a view asks ("is this ours?", "which of these may I
  `can_each`, `may_revoke`            change?") instead of comparing agency ids itself
- `agency_sees(agency, obj)`          whether another agency could see a record a service hands it a link to
- `share(...)` / `revoke(...)`        the disclosure register, with the guardian grants kept in step

How it queries (measured; see docs/performance.md): grants live in django-guardian's
direct foreign-key tables, but `get_objects_for_user` and `has_perm` are never called on a request path.
Lists take each branch's page straight from an index that carries the sort key (owner: `(owner_agency,
created_at)` on the record; grants: `(group|user, permission, created_at)` on the grant row), so at most
a page of ids per branch reaches the record table. A detail is one query: the owner check or an EXISTS on
the direct table.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import audit, legal_bases
from .errors import ApplicationError
from .models import Action, Agency, GroupGrant, LegalBasis, ProtectedModel, Share, ShareLevel, UserGrant
from .models.share import ShareQuerySet

M = TypeVar("M", bound=ProtectedModel)

ACTIONS = ("view", "change")
# What each share level grants. A change share implies view.
LEVEL_PERMISSIONS = {ShareLevel.VIEW: ("view",), ShareLevel.CHANGE: ("view", "change")}


# --- who is asking ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    user_id: int
    agency_id: int
    group_id: int
    role: str
    agency_name: str = ""
    agency_kind: str = ""

    @property
    def is_lead(self) -> bool:
        return self.role == "lead"


def actor_for(user) -> Actor | None:
    """The user's agency and its group, resolved once per request and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if hasattr(user, "_gvi_actor"):
        cached: Actor | None = user._gvi_actor
        return cached
    membership = _membership_loaded_with(user)
    if membership is _NOT_LOADED:
        from .models import Membership

        membership = Membership.objects.select_related("agency").filter(user_id=user.pk).first()
    actor = None
    if membership is not None and membership.agency.active:
        actor = Actor(
            user.pk,
            membership.agency_id,
            membership.agency.group_id,
            membership.role,
            membership.agency.name,
            membership.agency.kind,
        )
    user._gvi_actor = actor
    return actor


_NOT_LOADED: Any = object()


def _membership_loaded_with(user) -> Any:
    """The membership and agency the sign-in loaded with the user (agencies.auth_backends, the API token's
    lookup), so that asking who is asking costs no query of its own; None when it found none; else _NOT_LOADED."""
    descriptor = getattr(user.__class__, "membership", None)  # request.user is a lazy object: its class, not type()
    if descriptor is None or not descriptor.is_cached(user):
        return _NOT_LOADED
    membership = descriptor.related.get_cached_value(user)
    if membership is not None and not membership.__class__.agency.is_cached(membership):
        return _NOT_LOADED
    return membership


def require_actor(user) -> Actor:
    actor = actor_for(user)
    if actor is None:
        raise ApplicationError(_("Användaren tillhör ingen aktiv myndighet."), code="no_agency")
    return actor


# --- the protected models and their grant tables ---------------------------------------------------

_grant_models: dict[type[models.Model], tuple[type[GroupGrant], type[UserGrant]]] = {}


def grant_models(model: type[models.Model]) -> tuple[type[GroupGrant], type[UserGrant]]:
    """The two direct-FK grant tables declared for a protected model (see agencies.models.protection)."""
    model = model._meta.concrete_model or model
    if model not in _grant_models:
        group_model = user_model = None
        for rel in model._meta.related_objects:
            if rel.field.name != "content_object":
                continue
            if issubclass(rel.related_model, GroupGrant):
                group_model = rel.related_model
            elif issubclass(rel.related_model, UserGrant):
                user_model = rel.related_model
        if group_model is None or user_model is None or not issubclass(model, ProtectedModel):
            raise ImproperlyConfigured(f"{model._meta.label} is not a protected model with both grant tables.")
        _grant_models[model] = (group_model, user_model)
    return _grant_models[model]


def _codename(model: type[models.Model], action: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    return f"{action}_{model._meta.model_name}"


_permission_ids: dict[tuple[str, str], int] = {}


def _permission_id(model: type[models.Model], action: str) -> int:
    """The auth permission's id, cached per process so the grant queries are a plain index range."""
    key = (model._meta.label_lower, action)
    if key not in _permission_ids:
        ct = ContentType.objects.get_for_model(model)
        _permission_ids[key] = Permission.objects.only("pk").get(content_type=ct, codename=_codename(model, action)).pk
    return _permission_ids[key]


def load_permission_ids(**kwargs) -> None:
    """Reload the cache after migrate (connected to post_migrate in AgenciesConfig.ready).

    A test flush recreates the permission rows with new ids; loading them here, at once, also keeps the
    query count of a request the same whether or not it is the first in its process.
    """
    _permission_ids.clear()
    codenames = Q()
    for model in apps.get_models():
        if issubclass(model, ProtectedModel):
            codenames |= Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
    if not codenames:
        return
    rows = Permission.objects.filter(codenames).values_list(
        "content_type__app_label", "content_type__model", "codename", "pk"
    )
    for app_label, model_name, codename, pk in rows:
        action, _sep, _rest = codename.partition("_")
        if action in ACTIONS:
            _permission_ids[(f"{app_label}.{model_name}", action)] = pk


def _permission_filter(model: type[models.Model], action: str) -> Q:
    return Q(permission_id=_permission_id(model, action))


def _live(now: datetime) -> Q:
    return Q(expires_at__isnull=True) | Q(expires_at__gt=now)


def _group_grants(actor: Actor, model, action: str, now: datetime) -> models.QuerySet:
    group_model, _user_model = grant_models(model)
    return group_model.objects.filter(_permission_filter(model, action), _live(now), group_id=actor.group_id)


def _user_grants(actor: Actor, model, action: str, now: datetime) -> models.QuerySet:
    _group_model, user_model = grant_models(model)
    return user_model.objects.filter(_permission_filter(model, action), _live(now), user_id=actor.user_id)


# --- reading ------------------------------------------------------------------------------------------


def visible(user, model: type[M], action: str = "view", *, queryset: models.QuerySet | None = None) -> models.QuerySet:
    """Everything of `model` the user may `action`, as a QuerySet to filter further.

    The owner always may; otherwise a live grant to the user's agency group or to the user. The ids come
    from one UNION ALL subquery of the three index-driven branches (visible_ids) — never a JOIN with
    DISTINCT, never a Python id list, never an OR that hides the owner index.
    For a page of a long list, prefer visible_page(), which reads the page from the grant index.
    """
    qs = queryset if queryset is not None else model._default_manager.all()
    actor = actor_for(user)
    if actor is None:
        return qs.none()
    return qs.filter(pk__in=visible_ids(actor, model, action))


def visible_ids(actor: Actor, model: type[models.Model], action: str = "view", *, now: datetime | None = None):
    """The ids of what the actor may `action`, as one subquery: a UNION ALL of the three branches.

    Each branch is an index range — the owner's `(owner_agency, created_at)` on the record, the grants'
    `(group | user, permission, …)` on the grant rows — so a count, filter or choice for a user who sees few
    rows reads those few ids and fetches them by primary key. The older shape, `owner = X OR pk IN (grants)
    OR pk IN (grants)`, cannot use the owner index under the OR, so PostgreSQL scanned the whole record
    table for it (docs/performance.md). A record in more than one branch comes up more than once; `IN`
    does not care.
    """
    now = now or timezone.now()
    owned = model._default_manager.filter(owner_agency_id=actor.agency_id).values("pk")
    return owned.union(
        _group_grants(actor, model, action, now).values("content_object_id"),
        _user_grants(actor, model, action, now).values("content_object_id"),
        all=True,
    )


def sees_any(user, model: type[models.Model], action: str = "view") -> bool:
    """Whether the user may `action` at least one record of `model` ("is there anyone to choose?").

    One index probe per branch, stopping at the first that finds a row: `visible(...).exists()` would
    hash every visible id first (a broad agency's 100,000; measured 0.25 s at national scale).
    """
    actor = actor_for(user)
    if actor is None:
        return False
    now = timezone.now()
    return (
        model._default_manager.filter(owner_agency_id=actor.agency_id).exists()
        or _group_grants(actor, model, action, now).exists()
        or _user_grants(actor, model, action, now).exists()
    )


def _exists_grant(actor: Actor, model, action: str, now: datetime, outer: Any) -> Q:
    return Q(Exists(_group_grants(actor, model, action, now).filter(content_object_id=outer))) | Q(
        Exists(_user_grants(actor, model, action, now).filter(content_object_id=outer))
    )


def can(user, obj: ProtectedModel, action: str = "view") -> bool:
    """Whether the user may `action` an object already loaded: no query for the owner, else one EXISTS."""
    actor = actor_for(user)
    if actor is None:
        return False
    if obj.owner_agency_id == actor.agency_id:
        return True
    model = type(obj)
    now = timezone.now()
    return (
        _group_grants(actor, model, action, now).filter(content_object_id=obj.pk).exists()
        or _user_grants(actor, model, action, now).filter(content_object_id=obj.pk).exists()
    )


def agency_sees(agency: Agency, obj: ProtectedModel, action: str = "view") -> bool:
    """Whether an agency (not a user) may `action` a record: its owner, or a live grant to its group.

    For a service about to hand another agency something that points at `obj` (an invitation to a call-in
    the other agency plans points at a person): would the other side be able to see it? One EXISTS.
    """
    if obj.owner_agency_id == agency.pk:
        return True
    group_model, _user_model = grant_models(type(obj))
    # `content_object` is declared on each concrete grant table, not on the abstract base the stubs see.
    this_object = {"group_id": agency.group_id, "content_object_id": obj.pk}
    return group_model.objects.filter(
        _permission_filter(type(obj), action), _live(timezone.now()), **this_object
    ).exists()


def owns(user, obj: ProtectedModel) -> bool:
    """Whether the user's agency is the data controller of `obj`: it always sees and changes it, and only it
    discloses it or records what hangs on it. No query (the actor is cached on the user)."""
    actor = actor_for(user)
    return actor is not None and obj.owner_agency_id == actor.agency_id


def owned_ids(user, objs: Iterable[ProtectedModel]) -> set[int]:
    """The pks among `objs` (loaded) whose data controller is the user's agency. No query."""
    actor = actor_for(user)
    if actor is None:
        return set()
    return {obj.pk for obj in objs if obj.owner_agency_id == actor.agency_id}


def acts_for(user, agency_id: int | None) -> bool:
    """Whether the user acts for the agency with this id (e.g. a task's assignee agency). No query."""
    actor = actor_for(user)
    return actor is not None and agency_id is not None and actor.agency_id == agency_id


def can_each(user, objs: Sequence[ProtectedModel], action: str = "view") -> set[int]:
    """The pks among `objs` (loaded, all of one model) that the user may `action`.

    The owned ones need no query; the rest are asked of the gate in one query, whatever their number. The
    id list is bounded by what the caller already loaded and shows.
    """
    actor = actor_for(user)
    if actor is None or not objs:
        return set()
    allowed = owned_ids(user, objs)
    rest = [obj.pk for obj in objs if obj.pk not in allowed]
    if rest:
        model = type(objs[0])
        allowed |= set(visible(user, model, action).filter(pk__in=rest).values_list("pk", flat=True))
    return allowed


def may_revoke(user, record: Share) -> bool:
    """Whether the user may withdraw this disclosure: only the agency that made it may. No query."""
    return acts_for(user, record.from_agency_id)


def find(
    user,
    model: type[M],
    pk: Any,
    action: str = "view",
    *,
    queryset: models.QuerySet | None = None,
    log: bool = True,
    count_denial: bool = True,
) -> M | None:
    """One record the user may `action`, in one query, or None — the same for missing and forbidden.

    A found record's read is logged (one entry per read of a protected record's detail). When nothing is
    found, the attempt is counted for the owning agency's leads (audit.record_denied) — unless the caller
    only asks whether a related record is visible, where "no" is the normal answer (`count_denial=False`).
    """
    actor = actor_for(user)
    if actor is None:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    qs = queryset if queryset is not None else model._default_manager.all()
    now = timezone.now()
    visible_q = Q(owner_agency_id=actor.agency_id) | _exists_grant(actor, model, action, now, OuterRef("pk"))
    obj = qs.filter(visible_q, pk=pk).first()
    if obj is None:
        if count_denial:
            audit.record_denied(user=user, agency_id=actor.agency_id, model=model, object_id=pk, action=action)
        return None
    if log:
        audit.record(user=user, agency_id=actor.agency_id, action=Action.VIEW, model=model, objects=[obj])
    return obj


def get_or_404(
    user,
    model: type[M],
    pk: Any,
    action: str = "view",
    *,
    queryset: models.QuerySet | None = None,
    log: bool = True,
) -> M:
    """Like find(), but Http404 when there is nothing the user may see."""
    obj = find(user, model, pk, action, queryset=queryset, log=log)
    if obj is None:
        raise Http404
    return obj


# --- the fast list path -----------------------------------------------------------------------------


@dataclass
class Page:
    items: list
    next_cursor: str | None = None
    previous_cursor: str | None = None
    size: int = 50
    extra: dict = field(default_factory=dict)


def _encode_cursor(created_at: datetime, pk: int, direction: str) -> str:
    raw = json.dumps({"t": created_at.isoformat(), "id": pk, "d": direction}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# A cursor is only ever made from a stored row, so anything outside these is hand-made: an id past the
# database's integer (SQLite and PostgreSQL both fail on 10**30), or a time the zone conversion cannot take
# (year 1, year 9999) or that no record carries.
CURSOR_MAX_ID = 2**63 - 1
CURSOR_YEARS = (1900, 2200)
MAX_CURSOR_LENGTH = 512


def decode_cursor(cursor: str) -> tuple[datetime, int, str]:
    """Raises ValidationError with a Swedish message on a cursor that was not made by this module."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
        created_at = parse_datetime(data["t"])
        pk, direction = data["id"], data["d"]
        if created_at is None or timezone.is_naive(created_at) or direction not in ("n", "p"):
            raise ValueError
        if type(pk) is not int or not 1 <= pk <= CURSOR_MAX_ID:
            raise ValueError
        if not CURSOR_YEARS[0] <= created_at.year <= CURSOR_YEARS[1]:
            raise ValueError
        return created_at.astimezone(UTC), pk, direction
    except (ValueError, KeyError, TypeError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationError(_("Ogiltig sidmarkör."), code="invalid_cursor") from exc


def _branch(qs: models.QuerySet, time_field: str, id_field: str, cursor, size: int) -> models.QuerySet:
    """One branch's page of ids (at most size + 1, from an index that carries the sort key), after the cursor."""
    if cursor is not None:
        created_at, pk, direction = cursor
        # The keyset `(time, id) < (t, pk)`, written with a redundant bound `time <= t` in front: the OR alone
        # is a filter applied row by row while the index is read from the top, so a deep page cost grew
        # with its depth; the bound is an index condition that starts the range at the cursor.
        if direction == "n":
            qs = qs.filter(
                Q(**{f"{time_field}__lte": created_at}),
                Q(**{f"{time_field}__lt": created_at}) | Q(**{time_field: created_at, f"{id_field}__lt": pk}),
            )
        else:
            qs = qs.filter(
                Q(**{f"{time_field}__gte": created_at}),
                Q(**{f"{time_field}__gt": created_at}) | Q(**{time_field: created_at, f"{id_field}__gt": pk}),
            )
    descending = cursor is None or cursor[2] == "n"
    order = [f"-{time_field}", f"-{id_field}"] if descending else [time_field, id_field]
    return qs.order_by(*order).values_list(id_field)[: size + 1]


def visible_page(
    user,
    model: type[M],
    action: str = "view",
    *,
    within: models.QuerySet | None = None,
    cursor: str | None = None,
    size: int = 50,
    log: bool = True,
) -> Page:
    """A page of visible records, newest first, with cursors for the next (older) and previous pages.

    `within` is a QuerySet of `model` carrying the list's filters (a FilterSet's .qs) and its
    select_related; it is applied to each branch as a semi-join. One query whatever the page size: the page's
    rows by primary key, from the three index-ordered branches' ids as a subquery.
    """
    base = within if within is not None else model._default_manager.all()
    actor = actor_for(user)
    if actor is None:
        return Page(items=[], size=size)
    parsed = decode_cursor(cursor) if cursor else None
    now = timezone.now()
    filtered = bool(base.query.where)

    owned = _branch(base.filter(owner_agency_id=actor.agency_id), "created_at", "pk", parsed, size)
    grant_branches = []
    for grants in (_group_grants(actor, model, action, now), _user_grants(actor, model, action, now)):
        if filtered:
            grants = grants.filter(content_object_id__in=base.values("pk"))
        grant_branches.append(_branch(grants, "created_at", "content_object_id", parsed, size))
    # The page's rows in the same query as its ids: each branch's ids (at most size + 1 each) as a subquery,
    # the rows by primary key around it, ordered and cut to the page. `IN` drops a record that two branches
    # name. PostgreSQL takes the branches as one UNION ALL (a semi-join on a few ids); SQLite cannot LIMIT
    # inside a compound query, but can inside `IN`, so there each branch is its own `IN`.
    if connections[base.db].features.supports_slicing_ordering_in_compound:
        page_ids = Q(pk__in=owned.union(*grant_branches, all=True))
    else:
        page_ids = Q(pk__in=owned) | Q(pk__in=grant_branches[0]) | Q(pk__in=grant_branches[1])
    descending = parsed is None or parsed[2] == "n"
    order = ["-created_at", "-pk"] if descending else ["created_at", "pk"]
    items = list(base.filter(page_ids).order_by(*order)[: size + 1])
    has_more = len(items) > size
    items = items[:size]
    if not descending:
        items.reverse()

    page = Page(items=items, size=size)
    if items:
        first, last = items[0], items[-1]
        more_older = has_more if descending else True
        more_newer = (parsed is not None) if descending else has_more
        page.next_cursor = _encode_cursor(last.created_at, last.pk, "n") if more_older else None
        page.previous_cursor = _encode_cursor(first.created_at, first.pk, "p") if more_newer else None
    if log:
        audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=items)
    return page


# --- sharing ----------------------------------------------------------------------------------------


def sync_grants(obj: ProtectedModel, agency: Agency, user=None, *, adding: bool = False) -> None:
    """Make the guardian grants on `obj` exactly what the active shares justify: those to `agency` as a
    whole (its group's grants), or, with `user`, those to that one named user (the user's grants).

    Called inside the transaction that changes the register, so a grant never exists without an active
    share row, and a revoked or lapsed share leaves no grant behind. Three statements at most: the active
    shares, the grants no longer justified deleted (skipped when `adding` a share, which only ever widens
    them), and the wanted grants written in one upsert (INSERT … ON CONFLICT on guardian's unique
    (group, permission, object); row by row it was two or three queries per grant, with guardian's
    save() loading the permission, the content type and the record to check them).
    """
    model = type(obj)
    group_model, user_model = grant_models(model)
    ct = ContentType.objects.get_for_model(model)
    active = Share.objects.active().filter(content_type=ct, object_id=obj.pk, to_agency=agency)
    if user is None:
        grant_model: type[GroupGrant] | type[UserGrant] = group_model
        active = active.filter(to_user__isnull=True)
        # `content_object` is declared on each concrete grant table, not on the abstract base the stubs see.
        this_object: dict[str, Any] = {"group_id": agency.group_id, "content_object_id": obj.pk}
    else:
        grant_model = user_model
        active = active.filter(to_user=user)
        this_object = {"user_id": user.pk, "content_object_id": obj.pk}
    wanted: dict[str, datetime | None] = {}
    for share in active:
        for action in LEVEL_PERMISSIONS[share.level]:
            if action not in wanted:
                wanted[action] = share.expires_at
            elif wanted[action] is not None:
                wanted[action] = None if share.expires_at is None else max(wanted[action], share.expires_at)
    perms = {action: _permission_id(model, action) for action in ACTIONS}
    if not adding:
        stale = grant_model.objects.filter(**this_object).exclude(permission_id__in=[perms[a] for a in wanted])
        stale._raw_delete(stale.db)  # no signal or cascade hangs on a grant row: one DELETE … WHERE
    if wanted:
        # `content_object` is declared on each concrete grant table, not on the abstract base the stubs see.
        rows: list[Any] = [
            grant_model(**this_object, permission_id=perms[action], created_at=obj.created_at, expires_at=expires_at)
            for action, expires_at in wanted.items()
        ]
        grant_model.objects.bulk_create(  # type: ignore[misc]
            rows,
            update_conflicts=True,
            unique_fields=["group" if user is None else "user", "permission", "content_object"],
            update_fields=["created_at", "expires_at"],
        )


def _check_consent(consent, *, obj, to_agency: Agency) -> None:
    # The consent record lives in `cases`; the gate only asks it the question, through this protocol.
    covers = getattr(consent, "covers", None)
    if covers is None or not covers(agency=to_agency, obj=obj):
        raise ApplicationError(
            _("Samtycket täcker inte den här myndigheten eller uppgiften, eller gäller inte längre."),
            code="consent_not_covering",
        )


def share(
    obj: ProtectedModel,
    *,
    to_agency: Agency,
    level: str,
    legal_basis: LegalBasis | None,
    consent=None,
    acting_user,
    expires_at: datetime | None = None,
    to_user=None,
    assessment: str = "",
) -> Share:
    """Disclose `obj` to another agency on a recorded legal basis; the grant follows in this transaction.

    The basis must fit this sender, receiver and record (agencies.legal_bases, the one place that decides it),
    and a basis that needs a written assessment is refused without one; the text is kept on the register row.

    With `to_user`, to one named user of `to_agency` only (a mentor on one case): the register still names
    the agency, the grant goes to the user alone, and a colleague at the same agency sees nothing.
    """
    # A `with` block, not @transaction.atomic: mutmut does not mutate decorated functions.
    with transaction.atomic():
        actor = require_actor(acting_user)
        if not owns(acting_user, obj):
            # Only the data controller discloses. The object may be visible, so this is not a 404.
            raise ApplicationError(_("Endast den ägande myndigheten kan dela uppgiften."), code="not_owner")
        if type(obj).share_requires_lead and not actor.is_lead:
            raise ApplicationError(_("Identitetsuppgifter får bara delas av en chef."), code="lead_required")
        if legal_basis is None:
            raise ApplicationError(_("Ett utlämnande måste ha en rättslig grund."), code="legal_basis_required")
        if not legal_basis.active:
            raise ApplicationError(_("Den rättsliga grunden används inte längre."), code="legal_basis_inactive")
        if to_agency.pk == actor.agency_id:
            raise ApplicationError(_("Uppgiften ägs redan av din myndighet."), code="own_agency")
        if not to_agency.active:
            raise ApplicationError(_("Mottagande myndighet är inte aktiv."), code="agency_inactive")
        if to_user is not None and not acts_for(to_user, to_agency.pk):
            raise ApplicationError(
                _("Användaren är inte aktiv hos den mottagande myndigheten."), code="user_not_in_agency"
            )
        if level not in LEVEL_PERMISSIONS:
            raise ApplicationError(_("Okänd behörighetsnivå."), code="invalid_level")
        if expires_at is not None and expires_at <= timezone.now():
            raise ApplicationError(_("Slutdatum måste ligga i framtiden."), code="expiry_in_past")
        reason = legal_bases.why_not(legal_basis, sender_kind=actor.agency_kind, receiver_kind=to_agency.kind, obj=obj)
        if reason:
            raise ApplicationError(
                _("%(basis)s kan inte användas här: %(reason)s.") % {"basis": legal_basis.name, "reason": reason},
                code="legal_basis_not_fitting",
            )
        assessment = (assessment or "").strip()
        if legal_basis.requires_assessment and not assessment:
            raise ApplicationError(
                _("%(basis)s kräver en skriftlig bedömning: %(prompt)s")
                % {"basis": legal_basis.name, "prompt": legal_basis.assessment_prompt},
                code="assessment_required",
            )
        if legal_basis.requires_consent and consent is None:
            raise ApplicationError(_("Den rättsliga grunden kräver ett giltigt samtycke."), code="consent_required")
        if consent is not None:
            _check_consent(consent, obj=obj, to_agency=to_agency)
            # A share on consent lives no longer than the consent: the grant stops at its end on its own.
            # (Not the consent record's own shares: the agencies it names keep seeing it after it ends.)
            lapses_at = getattr(consent, "lapses_at", None)
            if lapses_at is not None and consent is not obj and (expires_at is None or lapses_at() < expires_at):
                expires_at = lapses_at()

        record = Share.objects.create(
            content_type=ContentType.objects.get_for_model(type(obj)),
            object_id=obj.pk,
            from_agency_id=actor.agency_id,
            to_agency=to_agency,
            to_user=to_user,
            level=level,
            legal_basis=legal_basis,
            consent=consent,
            decided_by=acting_user,
            expires_at=expires_at,
            assessment=assessment,
        )
        sync_grants(obj, to_agency, to_user, adding=True)
        audit.record(
            user=acting_user,
            agency_id=actor.agency_id,
            action=Action.SHARE,
            model=type(obj),
            objects=[obj],
            detail={
                "share": record.pk,
                "to_agency": to_agency.slug,
                **({"to_user": to_user.pk} if to_user is not None else {}),
                "level": level,
                "legal_basis": legal_basis.code,
                # The lead reads the decision's reasons in the access log, where the disclosure is logged.
                "assessment": assessment,
            },
        )
        return record


def _close(record: Share, *, user, agency_id: int, reason: str, now: datetime) -> None:
    """Close one register row for `user` (revoke): the row, the grants it justified, the log entry. Closing many
    rows without a user (a consent's withdrawal, expiry) is revoke_all_as_system's, set-based."""
    record.revoked_at = now
    record.revoked_by = user
    record.revoke_reason = reason
    record.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    obj = record.content_object
    if obj is not None:
        sync_grants(obj, record.to_agency, record.to_user)
    # else the record itself is gone and its grants went with it (foreign-key cascade); the register
    # still closes the disclosure so it never reads as active.
    audit.record(
        user=user,
        agency_id=agency_id,
        action=Action.REVOKE,
        model=record.content_type.model_class() or Share,
        objects=[obj] if obj is not None else [],
        detail={
            "share": record.pk,
            "object_id": record.object_id,
            "to_agency": record.to_agency.slug,
            "reason": reason,
        },
    )


def revoke(record: Share, *, acting_user, reason: str) -> Share:
    """Withdraw a disclosure; access ends at once, in this transaction."""
    # A `with` block, not @transaction.atomic: mutmut does not mutate decorated functions.
    with transaction.atomic():
        actor = require_actor(acting_user)
        record = Share.objects.select_for_update().get(pk=record.pk)
        if not may_revoke(acting_user, record):
            raise ApplicationError(_("Endast myndigheten som delade kan återkalla."), code="not_owner")
        if record.revoked_at is not None:
            raise ApplicationError(_("Utlämnandet är redan återkallat."), code="already_revoked")
        if not reason.strip():
            raise ApplicationError(_("Ange ett skäl för återkallelsen."), code="reason_required")
        _close(record, user=acting_user, agency_id=actor.agency_id, reason=reason.strip(), now=timezone.now())
        return record


def revoke_all_as_system(shares: models.QuerySet[Share], *, reason: str, now: datetime | None = None) -> list[int]:
    """Close every open share in `shares` at once, set-based: access ends in this transaction.

    For a consent that 1,000 shares rest on, revoking them one by one cost ~7,000 queries and seconds. Here
    the number of statements does not depend on the number of shares, only on how many kinds of record
    they disclose: the register rows in one UPDATE; per kind, the grants no other active share justifies in
    one DELETE; the log rows (one per share, as `revoke` writes) in one INSERT on PostgreSQL (entries
    and targets; two on SQLite), from the shares' rows and each record's person read in one query per kind,
    never the records themselves. A grant that another active share still justifies is re-derived by sync_grants (its end
    date may change) — none in the usual case. Logged as each disclosing agency, since it is that agency's disclosure that ends.
    """
    # A `with` block, not @transaction.atomic: mutmut does not mutate decorated functions.
    with transaction.atomic():
        now = now or timezone.now()
        rows = list(
            shares.filter(revoked_at__isnull=True)
            .select_for_update(of=("self",))
            .values_list("pk", "content_type_id", "object_id", "to_agency_id", "to_agency__slug", "from_agency_id")
        )
        if not rows:
            return []
        ids = [row[0] for row in rows]  # bounded by the shares being closed (one consent's, one night's)
        Share.objects.filter(pk__in=ids).update(revoked_at=now, revoked_by=None, revoke_reason=reason)
        log: list[tuple[int, str, dict[str, Any], int | None, int | None]] = []
        for ct_id in sorted({row[1] for row in rows}):
            model = ContentType.objects.get_for_id(ct_id).model_class()
            mine = [row for row in rows if row[1] == ct_id]
            persons: dict[int, int | None] = {}
            if model is not None and issubclass(model, ProtectedModel):
                _drop_unjustified_grants(model, ct_id, ids)
                persons = _audit_persons(model, [row[2] for row in mine])
            label = model._meta.label_lower if model is not None else "agencies.share"
            for pk, _ct, object_id, _to, to_slug, from_agency_id in mine:
                detail = {"share": pk, "object_id": object_id, "to_agency": to_slug, "reason": reason}
                # A record deleted since is logged without a target.
                target = object_id if object_id in persons else None
                log.append((from_agency_id, label, detail, target, persons.get(object_id)))
        # The log rows from plain values (no record loaded): one statement on PostgreSQL.
        audit.record_rows(action=Action.REVOKE, rows=log)
        return ids


def _audit_persons(model: type[ProtectedModel], object_ids: list[int]) -> dict[int, int | None]:
    """{pk: the person it is about (audit_person_id)} for those of `object_ids` that still exist: one query,
    reading the declared lookup (ProtectedModel.audit_person_field) instead of loading 1,000 records."""
    records = model._base_manager.filter(pk__in=object_ids)  # bounded by the shares being closed
    field = model.audit_person_field
    if field == "pk":
        return {pk: pk for pk in records.values_list("pk", flat=True)}
    if field is not None:
        return dict(records.values_list("pk", field))
    return {obj.pk: obj.audit_person_id() for obj in records.select_related()}


def _drop_unjustified_grants(model: type[ProtectedModel], ct_id: int, closed_ids: list[int]) -> None:
    """After `closed_ids` were closed: delete the grants of `model` they created that no active share still
    justifies (one statement), and re-derive the few that one does."""
    group_model, _user_model = grant_models(model)
    everything_closed = Share.objects.filter(pk__in=closed_ids, content_type_id=ct_id)
    # Shares to a whole agency (its group's grants); the rare shares to one named user are handled below.
    closed = everything_closed.filter(to_user__isnull=True)
    same_pair = {"content_type_id": ct_id, "object_id": OuterRef("content_object_id"), "to_user__isnull": True}
    same_pair["to_agency__group_id"] = OuterRef("group_id")
    closed_here = Exists(closed.filter(**same_pair))
    active = Share.objects.active().filter(**same_pair)
    view_id, change_id = _permission_id(model, "view"), _permission_id(model, "change")
    unjustified = (Q(permission_id=view_id) & ~Exists(active)) | (
        Q(permission_id=change_id) & ~Exists(active.filter(level=ShareLevel.CHANGE))
    )
    # No signal or cascade hangs on a grant row: one DELETE … WHERE, no rows loaded first.
    # The closed shares' objects first, an index condition on the grant rows; then the exact pair.
    doomed = group_model.objects.filter(content_object_id__in=closed.values("object_id"))  # type: ignore[misc]
    doomed.filter(closed_here).filter(unjustified)._raw_delete(group_model.objects.db)
    # Pairs another active share keeps open: their grants stay, but may need a new end date.
    kept = set(
        Share.objects.active()
        .filter(content_type_id=ct_id, to_user__isnull=True, object_id__in=closed.values("object_id"))
        .values_list("object_id", "to_agency_id")
    )
    pairs = set(closed.values_list("object_id", "to_agency_id")) & kept
    # A share to one named user (a mentor on one case) has its own grant row: re-derived one by one.
    named = list(everything_closed.filter(to_user__isnull=False).select_related("to_agency", "to_user"))
    # Only the records re-derived here are loaded (none in the usual case).
    wanted = {object_id for object_id, _agency_id in pairs} | {share.object_id for share in named}
    records = model._base_manager.in_bulk(wanted) if wanted else {}
    for object_id, agency_id in sorted(pairs):
        if object_id in records:
            sync_grants(records[object_id], Agency.objects.get(pk=agency_id))
    for share in named:
        if share.object_id in records:
            sync_grants(records[share.object_id], share.to_agency, share.to_user)


def expire_due_shares(*, now: datetime | None = None) -> list[int]:
    """Close every share whose end date has passed. Idempotent: a closed share is never closed again.

    The grants already stopped counting at `expires_at` (the gate checks it); this makes the register say
    so and writes the log rows — set-based, in a number of statements that does not grow with the shares.
    """
    now = now or timezone.now()
    due = Share.objects.filter(revoked_at__isnull=True, expires_at__lte=now)
    return revoke_all_as_system(due, reason=_("Utlämnandets slutdatum har passerats."), now=now)


def shares_of(obj: ProtectedModel) -> ShareQuerySet:
    """The register rows for one object, for its owner's share panel."""
    ct = ContentType.objects.get_for_model(type(obj))
    return Share.objects.filter(content_type=ct, object_id=obj.pk).select_related(
        "to_agency", "to_user", "legal_basis", "decided_by", "revoked_by"
    )
