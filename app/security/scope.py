"""The one row-level scope (ARCHITECTURE.md rule 4).

Every list, show, edit, delete, bulk action, related dropdown, export and API query of
pegawai-owned data narrows its rows with :func:`scope_clause`. Who sees what follows the
org chart, not a checkbox:

* everyone sees their own rows;
* an atasan also sees the rows of pegawai whose atasan langsung or pejabat penilai they are;
* the head of an OPD sees the rows of every pegawai in that OPD's subtree;
* a Plt/Plh, while the assignment runs, sees what the covered post would (app.security.acting);
* admin BKPSDM sees everything.

A model opts in by defining ``scope_owner()``: a SQL expression of the owning pegawai's id,
or (app.models.owner.Via) the parents its foreign key names, owned by that pegawai.
Who else may see a row — the atasan pejabat penilai deciding an objection — the model
declares in ``scope_also(pegawai_id)``, so that every page and the API see the same rows.
Every read by id goes through :func:`get`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import (
    ColumnElement,
    Integer,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import BinaryExpression, BooleanClauseList
from sqlalchemy.sql.selectable import ScalarSelect

from app.domain.enums import N_
from app.domain.errors import NotFound
from app.domain.org import is_opd_path
from app.models.master import Pegawai, UnitKerja
from app.models.owner import Via
from app.models.skp import Skp
from app.security import acting as acting_posts
from app.security.roles import ADMIN


@dataclass(frozen=True)
class Viewer:
    """What the scope needs to know of the signed-in user, computed once per request."""

    user_id: int | None
    is_admin: bool = False
    pegawai_id: int | None = None
    opd_paths: tuple[str, ...] = field(default_factory=tuple)
    # The Plt/Plh assignments that run today: the posts the viewer stands in for.
    acting: tuple[acting_posts.Acting, ...] = field(default_factory=tuple)
    # Whether anyone's atasan or pejabat penilai, now or of record on an SKP (appraises):
    # without, the viewer's scope is their own rows. Unknown (a Viewer made by hand): True.
    appraises: bool = True


def _request_user() -> Any:
    user = getattr(g, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        user = current_user if has_request_context() else None
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def viewer_for(user: Any, session: Session) -> Viewer:
    """Build the viewer of an authenticated FAB user."""
    if user is None:
        return Viewer(user_id=None)
    is_admin = any(role.name == ADMIN for role in user.roles)
    pegawai_id = session.execute(select(Pegawai.id).where(Pegawai.user_id == user.id)).scalar()
    opd_paths: tuple[str, ...] = ()
    acting: tuple[acting_posts.Acting, ...] = ()
    if pegawai_id is not None:
        headed = session.execute(
            select(UnitKerja.path).where(UnitKerja.kepala_id == pegawai_id)
        ).scalars()
        acting = acting_posts.acting_of(session, pegawai_id)
        covered = (post.opd_path for post in acting if post.opd_path)
        opd_paths = tuple(dict.fromkeys([*filter(is_opd_path, headed), *covered]))
    return Viewer(
        user.id,
        is_admin,
        pegawai_id,
        opd_paths,
        acting,
        pegawai_id is not None and appraises(session, pegawai_id),
    )


def appraises(session: Session, pegawai_id: int) -> bool:
    """Whether the pegawai is anyone's atasan or pejabat penilai, or the pejabat penilai of
    record of an SKP (Skp.scope_also): the org chart's and scope_also's ways to see other
    people's rows. Most pegawai are none of these, and their scope is their own rows: a
    query the planner sizes as one pegawai's, not as an average atasan's staff."""
    ways = or_(
        exists().where(Pegawai.atasan_id == pegawai_id),
        exists().where(Pegawai.pejabat_penilai_id == pegawai_id),
        exists().where(Skp.penilai_id == pegawai_id),
    )
    return bool(session.execute(select(ways)).scalar_one())


def current_viewer(session: Session) -> Viewer:
    """The viewer of this request, cached on ``g``; outside a request nobody is seen."""
    if not has_request_context():
        return Viewer(user_id=None)
    user = _request_user()
    cached = getattr(g, "_sikap_viewer", None)
    if cached is not None and cached.user_id == (user.id if user else None):
        return cached
    g._sikap_viewer = viewer = viewer_for(user, session)
    return viewer


def viewer() -> Viewer:
    """The viewer of this request, read through the app's session."""
    from app.extensions import db

    return current_viewer(db.session)


def visible_pegawai_ids(viewer: Viewer) -> ColumnElement[bool] | None:
    """A clause on ``Pegawai.id`` of who the viewer may see; None means everyone."""
    return _owner_clause(Pegawai.id, viewer)


def _owner_clause(owner: Any, viewer: Viewer) -> ColumnElement[bool] | None:
    """``owner`` among the pegawai the viewer sees: themself, their staff (atasan or
    pejabat penilai), the staff of a post they cover as Plt/Plh, every pegawai of an OPD they
    head. One ``IN`` of a UNION, each branch an indexed look-up: as an OR of several ``IN``,
    PostgreSQL reads every row of the table."""
    if viewer.is_admin:
        return None
    if viewer.pegawai_id is None:
        return false()
    me = viewer.pegawai_id
    if not (viewer.appraises or viewer.acting or viewer.opd_paths):
        return owner == me
    branches = [
        select(literal(me, Integer)),
        select(Pegawai.id).where(Pegawai.atasan_id == me),
        select(Pegawai.id).where(Pegawai.pejabat_penilai_id == me),
        *(branch for acting in viewer.acting for branch in acting_posts.staff_of(acting)),
    ]
    for path in viewer.opd_paths:
        branches.append(
            select(Pegawai.id)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(UnitKerja.path.startswith(path, autoescape=True))
        )
    return owner.in_(union(*branches))


def _alternatives(clause: Any) -> list[Any]:
    """The terms of an OR (or the clause itself)."""
    if isinstance(clause, BooleanClauseList) and clause.operator is operators.or_:
        return list(clause.clauses)
    return [clause]


def sees_every_pegawai_under(viewer: Viewer, path: str | None) -> bool:
    """Whether the viewer's scope holds every pegawai of the unit subtree at ``path`` (None:
    the whole city): admin BKPSDM anywhere, the head of an OPD (or their Plt/Plh) inside it —
    the OPD branch of _owner_clause. Figures counted for the whole subtree are then the
    viewer's own."""
    if viewer.is_admin:
        return True
    return path is not None and any(path.startswith(opd) for opd in viewer.opd_paths)


def visible_pegawai_ids_under(viewer: Viewer, path: str | None) -> ColumnElement[bool] | None:
    """``visible_pegawai_ids`` for a query already narrowed to the unit subtree at ``path``
    (None: the city): None when the viewer sees every pegawai there, so that a large
    subtree is not checked row by row against the scope's clause."""
    if sees_every_pegawai_under(viewer, path):
        return None
    return visible_pegawai_ids(viewer)


# Security records: admin BKPSDM's alone, whatever a role's permissions say.
ADMIN_ONLY = ("AuditLog", "CatatanMasuk")


def is_scoped(model: type) -> bool:
    return hasattr(model, "scope_owner") or model.__name__ in ADMIN_ONLY


def _parent_keys(clause: Any, key: Any) -> Any:
    """The select of a ``key IN (select)`` clause; None for a clause of another shape."""
    if (
        isinstance(clause, BinaryExpression)
        and clause.operator is operators.in_op
        and isinstance(clause.right, ScalarSelect)
        and clause.left.compare(key.expression)
    ):
        return clause.right.element
    return None


def scope_clause(model: type, viewer: Viewer) -> ColumnElement[bool] | None:
    """The rows of ``model`` the viewer may see; None when nothing needs narrowing."""
    if model.__name__ in ADMIN_ONLY:
        return None if viewer.is_admin else false()
    if not hasattr(model, "scope_owner"):
        return None
    owner = model.scope_owner()
    via = isinstance(owner, Via)
    clause = _owner_clause(owner.owner if via else owner, viewer)
    if clause is None:
        return None
    ways = []
    if viewer.pegawai_id is not None and viewer.appraises and hasattr(model, "scope_also"):
        ways = _alternatives(model.scope_also(viewer.pegawai_id))
    if via:
        # What scope_also adds through the same parents joins their UNION: a row's key is
        # looked up among the parents once, where a UNION of the rows' own ids reads and
        # sorts every row in scope twice (the count and the page).
        parents = [owner.ids.where(clause)]
        parents += [keys for way in ways if (keys := _parent_keys(way, owner.key)) is not None]
        ways = [way for way in ways if _parent_keys(way, owner.key) is None]
        clause = owner.key.in_(union(*parents) if len(parents) > 1 else parents[0])
    if ways:
        # A row in scope by the org chart or by what scope_also adds: the ids of each way,
        # one UNION (an OR of several IN reads every row on PostgreSQL).
        ways = [clause, *ways]
        clause = model.id.in_(union(*(select(model.id).where(way) for way in ways)))
    return clause


# --- the same scope asked of each row (a large OPD's list read page by page) ---------------


def units_under(paths: Any, units: Any = UnitKerja) -> Any:
    """A unit (``units``: UnitKerja or an alias) in the subtree of one of ``paths``."""
    return or_(*(units.path.startswith(path, autoescape=True) for path in paths))


# Built once (an alias adapts its columns on first use); correlated to the row's model only.
_PEMILIK_OPD = aliased(Pegawai, name="pemilik_opd")
_UNIT_OPD = aliased(UnitKerja, name="unit_opd")


def owned_under(model: type, paths: tuple[str, ...]) -> Any:
    """Whether a row's owner is placed under one of ``paths``, asked of each row as it is
    read: the owner's unit path is a correlated look-up of one row, which no planner turns
    into the set of the OPD's keys (PostgreSQL made a hashed set of an EXISTS: 113,855
    indikator read to show 25 realisasi)."""
    pemilik, unit = _PEMILIK_OPD, _UNIT_OPD
    owner = model.scope_owner()
    if isinstance(owner, Via):
        query = (
            owner.ids.with_only_columns(unit.path, maintain_column_froms=True)
            .join(pemilik, pemilik.id == owner.owner)
            .where(owner.ids.selected_columns[0] == owner.key)
        )
    else:
        # The owner's own look-up names the row two levels down: correlated to it explicitly
        # (auto-correlation stops at the enclosing select, and the row's table would join in).
        if isinstance(owner, ScalarSelect):
            owner = owner.element.correlate(model).scalar_subquery()
        query = select(unit.path).select_from(pemilik).where(pemilik.id == owner)
    query = query.join(unit, unit.id == pemilik.unit_kerja_id).limit(1).correlate(model)
    path = func.coalesce(query.scalar_subquery(), "")  # an owner placed in no unit: outside
    return or_(*(path.startswith(opd, autoescape=True) for opd in paths))


def besides_opds(model: type, viewer: Viewer) -> ColumnElement[bool] | None:
    """The rows the viewer sees other than through the OPDs they head: their own, their
    staff's, what scope_also adds."""
    return scope_clause(model, replace(viewer, opd_paths=()))


def scope_clause_row_by_row(model: type, viewer: Viewer) -> ColumnElement[bool]:
    """``scope_clause`` with its OPD branch asked of each row (``owned_under``) instead of
    through the set of the OPDs' keys: the same rows, for a list that reads a few of them."""
    return or_(besides_opds(model, viewer), owned_under(model, viewer.opd_paths))


def _one_row_clause(model: type, viewer: Viewer) -> ColumnElement[bool] | None:
    """``scope_clause`` for a read of one row: the OPD branch asked of that row
    (``scope_clause_row_by_row``), not through the set of the OPD's keys — PostgreSQL built
    the set of every RHK of a large OPD to let its head write one realisasi (10–140 ms at
    100,000 pegawai)."""
    if viewer.opd_paths and not viewer.is_admin and hasattr(model, "scope_owner"):
        return scope_clause_row_by_row(model, viewer)
    return scope_clause(model, viewer)


def get(
    session: Session,
    model: type,
    row_id: Any,
    viewer: Viewer,
    message: str = N_("Not found"),
    for_update: bool = False,
    options: Sequence[Any] = (),
) -> Any:
    """The one read by id: the row if the viewer may see it, else NotFound (→ 404, never its
    content). An id that cannot name a row is simply not found. ``options``: loader options
    for what the caller shows of the row."""
    try:
        row_id = int(row_id)
    except (TypeError, ValueError):
        raise NotFound(message) from None
    query = select(model).where(model.id == row_id).options(*options)
    clause = _one_row_clause(model, viewer)
    if clause is not None:
        query = query.where(clause)
    if for_update:
        query = query.with_for_update()
    found = session.execute(query).scalar_one_or_none()
    if found is None:
        raise NotFound(message)
    return found


def can_see(model: type, row_id: Any, session: Session, viewer: Viewer) -> bool:
    """Whether one row is inside the viewer's scope (for ids taken from URLs or bodies)."""
    clause = _one_row_clause(model, viewer)
    query = select(model.id).where(model.id == row_id)
    if clause is not None:
        query = query.where(clause)
    return session.execute(query).first() is not None
