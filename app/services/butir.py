"""The open items of the cycle, defined once, and kept as rows (app.models.hitungan
.ButirKepatuhan) so that Kepatuhan lists, groups and counts them by index at any size.

**What is open** (for every year — every annual periode — and every active pegawai):

* their newest SKP version of the year is missing (``belum_menyusun``), a draft or returned
  (``belum_mengajukan``: waits on the pegawai), or submitted (``belum_disetujui``: waits on
  the pejabat penilai fixed on the SKP, else the pegawai's);
* an evaluation of that year's SKPs (every version: a revision leaves the periods already
  under way on the version it replaces) that is not rated (``belum_dinilai``): it waits on
  whom app.domain.workflow.PENILAIAN_UNRATED says, its pejabat penilai being the
  evaluation's own, else the SKP's, else the pegawai's.

Whether an evaluation is *due* depends on the day (its periode has ended): the rows hold
every unrated evaluation, and the reader asks for the periods due (kepatuhan.Kewajiban).

**How they are kept**: app.services.hitungan's session hook hands over, at each flush, the
pegawai whose items the flushed rows may change (``refresh``: their rows replaced by a fresh
look-up, in the flush's transaction); a change of a name the list sorts by, of a unit or of
a periode's dates rebuilds what it touches. ``flask verify-counts`` compares the rows with a
fresh look-up (``differences``); ``flask recount`` rebuilds them.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection
from typing import Any

from sqlalchemy import (
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    event,
    func,
    literal,
    null,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased, object_session

from app.domain import workflow
from app.domain.enums import N_
from app.domain.periode import ANNUAL
from app.models.hitungan import ButirKepatuhan, ButirPenilai
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.services import derived_rows

BELUM_MENYUSUN = "belum_menyusun"
BELUM_MENGAJUKAN = "belum_mengajukan"
BELUM_DISETUJUI = "belum_disetujui"
BELUM_DINILAI = "belum_dinilai"

# From the first step of the cycle to the last; the list's columns and order follow this.
KATEGORI: dict[str, str] = {
    BELUM_MENYUSUN: N_("SKP not drawn up"),
    BELUM_MENGAJUKAN: N_("SKP not submitted"),
    BELUM_DISETUJUI: N_("SKP not approved"),
    BELUM_DINILAI: N_("Not yet evaluated"),
}
URUTAN = {kategori: index for index, kategori in enumerate(KATEGORI)}

# Who must act on an open item.
PEGAWAI = "pegawai"
ATASAN = "atasan"

# Who must act on an evaluation that is not rated yet (workflow.PENILAIAN_UNRATED).
_MENUNGGU = {workflow.OWNER: PEGAWAI, workflow.PENILAI: ATASAN}
UNRATED = {state: _MENUNGGU[who] for state, who in workflow.PENILAIAN_UNRATED.items()}

# The columns of a row, in the order the look-up selects them.
_COLUMNS = (
    "tahunan_id",
    "periode_id",
    "pegawai_id",
    "unit_kerja_id",
    "kategori",
    "menunggu",
    "penilai_id",
    "skp_id",
    "penilaian_id",
    "penilai_nama",
    "pegawai_nama",
    "periode_selesai",
    "unit_path",
    "status",  # of an evaluation, to keep the unrated (a look-up of a few pegawai)
)


# --- the look-up ------------------------------------------------------------------------------


# The look-up's parameters: the pegawai (expanding) and the year it is limited to, so that
# each variant's statement is built and compiled once per process, not at every flush.
_PEGAWAI_IDS = bindparam("pegawai_ids", expanding=True)
_TAHUNAN_ID = bindparam("tahunan_id", type_=Integer)


@functools.cache
def _skp_items(per_pegawai: bool, per_year: bool) -> Select:
    """One row per active pegawai and year whose newest SKP of the year is missing or not
    approved (of the pegawai _PEGAWAI_IDS, of the year _TAHUNAN_ID)."""
    year = aliased(Periode, name="tahun")
    penilai = aliased(Pegawai, name="penilai")
    kategori = case(
        (Skp.id.is_(None), BELUM_MENYUSUN),
        (Skp.status == "diajukan", BELUM_DISETUJUI),
        else_=BELUM_MENGAJUKAN,
    )
    penilai_id = func.coalesce(Skp.penilai_id, Pegawai.penilai_id)
    query = (
        select(
            year.id,
            cast(null(), Integer),
            Pegawai.id,
            Pegawai.unit_kerja_id,
            cast(kategori, String),
            cast(case((Skp.status == "diajukan", ATASAN), else_=PEGAWAI), String),
            penilai_id,
            Skp.id,
            cast(null(), Integer),
            penilai.nama,
            Pegawai.nama,
            cast(null(), year.tanggal_selesai.type),
            UnitKerja.path,
            cast(null(), String),
        )
        .select_from(Pegawai)
        .join(year, year.jenis == ANNUAL)
        .join(UnitKerja, UnitKerja.id == Pegawai.unit_kerja_id)
        .outerjoin(Skp, Skp.newest_of_year(Pegawai.id, year.id))
        .outerjoin(penilai, penilai.id == penilai_id)
        .where(Pegawai.aktif.is_(True), or_(Skp.id.is_(None), Skp.status != "disetujui"))
    )
    if per_pegawai:
        query = query.where(Pegawai.id.in_(_PEGAWAI_IDS))
    if per_year:
        query = query.where(year.id == _TAHUNAN_ID)
    return query


@functools.cache
def _evaluation_items(per_pegawai: bool, per_year: bool) -> Select:
    """One row per unrated evaluation of an active pegawai's SKP of its year (as
    _skp_items)."""
    year = aliased(Periode, name="tahun")
    evaluated = aliased(Periode, name="dinilai")
    penilai = aliased(Pegawai, name="penilai")
    penilai_id = func.coalesce(Penilaian.penilai_id, Skp.penilai_id, Pegawai.penilai_id)
    query = (
        select(
            Skp.periode_id,
            Penilaian.periode_id,
            Pegawai.id,
            Pegawai.unit_kerja_id,
            cast(literal(BELUM_DINILAI), String),
            cast(case(UNRATED, value=Penilaian.status, else_=PEGAWAI), String),
            penilai_id,
            Skp.id,
            Penilaian.id,
            penilai.nama,
            Pegawai.nama,
            evaluated.tanggal_selesai,
            UnitKerja.path,
            Penilaian.status,
        )
        .select_from(Penilaian)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .join(UnitKerja, UnitKerja.id == Pegawai.unit_kerja_id)
        .join(year, year.id == Skp.periode_id)
        .join(evaluated, evaluated.id == Penilaian.periode_id)
        .outerjoin(penilai, penilai.id == penilai_id)
        .where(Pegawai.aktif.is_(True), year.jenis == ANNUAL, year.tahun == evaluated.tahun)
    )
    if per_year:
        query = query.where(Skp.periode_id == _TAHUNAN_ID)
    if not per_pegawai:
        return query.where(Penilaian.status.in_(sorted(UNRATED)))
    # For a few pegawai the unrated are kept by the caller: asked here, the status would
    # lead the database to walk every unrated evaluation of the city instead of the
    # pegawai's few (look_up).
    return query.where(Pegawai.id.in_(_PEGAWAI_IDS))


def _opd_of(path: str) -> int | None:
    """The id of the unit one level under the root that ``path`` lies in (the OPD, when
    that unit is one: a path of three slashes)."""
    ids = [int(x) for x in path.strip("/").split("/") if x]
    return ids[1] if len(ids) > 1 else None


def _opd_names(session: Session, ids: set[int]) -> dict[int, str]:
    """The OPDs among ``ids`` by id."""
    if not ids:
        return {}
    slashes = func.length(UnitKerja.path) - func.length(func.replace(UnitKerja.path, "/", ""))
    query = select(UnitKerja.id, UnitKerja.nama).where(UnitKerja.id.in_(sorted(ids)), slashes == 3)
    return dict(session.connection().execute(query).tuples().all())


def look_up(
    session: Session, pegawai_ids: Collection[int] | None = None, tahunan_id: int | None = None
) -> list[dict[str, Any]]:
    """The open items of ``pegawai_ids`` (None: everyone), of the year ``tahunan_id`` (None:
    every year), as they stand in the rows they come from, as ButirKepatuhan rows. Two
    statements and a look-up of their OPDs."""
    connection = session.connection()
    found = []
    variant = (pegawai_ids is not None, tahunan_id is not None)
    params: dict[str, Any] = {}
    if pegawai_ids is not None:
        params["pegawai_ids"] = sorted(pegawai_ids)
    if tahunan_id is not None:
        params["tahunan_id"] = tahunan_id
    for part in (_skp_items(*variant), _evaluation_items(*variant)):
        for values in connection.execute(part, params):
            row = dict(zip(_COLUMNS, values, strict=True))
            status = row.pop("status")
            if status is None or status in UNRATED:
                row["opd_id"] = _opd_of(row.pop("unit_path"))
                found.append(row)
    opds = _opd_names(session, {row["opd_id"] for row in found if row["opd_id"]})
    for row in found:
        opd_id = row["opd_id"] if row["opd_id"] in opds else None
        row.update(
            penerima_id=row["pegawai_id"] if row["menunggu"] == PEGAWAI else row["penilai_id"],
            urutan=URUTAN[row["kategori"]],
            opd_id=opd_id,
            opd_nama=opds.get(opd_id),
            tanpa_opd=opd_id is None,
            tanpa_penilai=row["penilai_nama"] is None,
        )
    return found


# --- keeping them -----------------------------------------------------------------------------


def refresh(session: Session, pegawai_ids: Collection[int]) -> None:
    """Replace the rows of ``pegawai_ids`` with a fresh look-up, in the session's
    transaction, and recount what waits on the pejabat penilai they named before or name
    now."""
    if pegawai_ids:
        before = _penilai_waited_on(session, ButirKepatuhan.pegawai_id.in_(sorted(pegawai_ids)))
        rows = look_up(session, pegawai_ids)
        derived_rows.replace(
            session, ButirKepatuhan, rows, ButirKepatuhan.pegawai_id.in_(sorted(pegawai_ids))
        )
        recount_penilai(session, before | _waited_on(rows))


def add_year(session: Session, tahunan_id: int) -> None:
    """The open items of a new year (every active pegawai has its SKP to draw up), without
    touching the other years' rows: a full rebuild in a request would lock every row."""
    rows = look_up(session, tahunan_id=tahunan_id)
    derived_rows.add(session, ButirKepatuhan, rows)
    recount_penilai(session, _waited_on(rows))


def rebuild(session: Session, per_penilai: bool = True) -> int:
    """Replace every row with a fresh look-up, and the counts per penilai unless
    ``per_penilai`` is off (the migration from before that table). Returns the number of
    rows; the caller commits."""
    rows = look_up(session)
    derived_rows.replace(session, ButirKepatuhan, rows)
    if per_penilai:
        rebuild_penilai(session)
    return len(rows)


def rebuild_penilai(session: Session) -> None:
    """Count again what waits on every penilai, from the open items."""
    derived_rows.replace(session, ButirPenilai, _per_penilai(session, None))


# --- what waits on each pejabat penilai -------------------------------------------------------
#
# Kepatuhan shows who has most waiting on them. Counted from the items at each request, that
# read every item waiting on a penilai in the city (about 30,000 at 100,000 pegawai, 8 ms); the
# counts kept per penilai, year, periode, kategori and OPD are a third as many rows for the
# city and a sixth for an OPD. They are recounted, not moved by deltas, for the penilai whose
# items a refresh replaced, and for those whose items a deletion takes with it: a pegawai or
# an SKP removed takes its items by the database's cascade, which leaves no row to read
# afterwards, so their penilai are noted before the row goes (``_noted_before_delete``).

_WAITED_ON = (
    ButirKepatuhan.tahunan_id,
    ButirKepatuhan.periode_id,
    ButirKepatuhan.kategori,
    ButirKepatuhan.opd_id,
    ButirKepatuhan.penilai_id,
    ButirKepatuhan.penilai_nama,
)
_GONE = "butir_penilai_gone"


def _waited_on(rows: list[dict[str, Any]]) -> set[int]:
    return {row["penilai_id"] for row in rows if row["menunggu"] == ATASAN and row["penilai_id"]}


def _penilai_waited_on(session: Session, where: Any) -> set[int]:
    query = select(ButirKepatuhan.penilai_id).where(
        where, ButirKepatuhan.menunggu == ATASAN, ButirKepatuhan.penilai_id.is_not(None)
    )
    return set(session.connection().execute(query.distinct()).scalars())


def _per_penilai(session: Session, penilai_ids: Collection[int] | None) -> list[dict[str, Any]]:
    """The items waiting on ``penilai_ids`` (None: every penilai) counted, as ButirPenilai
    rows."""
    query = (
        select(*_WAITED_ON, func.count())
        .where(ButirKepatuhan.menunggu == ATASAN, ButirKepatuhan.penilai_id.is_not(None))
        .group_by(*_WAITED_ON)
    )
    if penilai_ids is not None:
        query = query.where(ButirKepatuhan.penilai_id.in_(sorted(penilai_ids)))
    names = [column.key for column in _WAITED_ON]
    return [
        {**dict(zip(names, values[:-1], strict=True)), "jumlah": values[-1]}
        for values in session.connection().execute(query)
    ]


def recount_penilai(session: Session, penilai_ids: Collection[int]) -> None:
    """Recount what waits on ``penilai_ids`` and on those noted before a deletion."""
    penilai_ids = set(penilai_ids) | session.info.pop(_GONE, set())
    if penilai_ids:
        derived_rows.replace(
            session,
            ButirPenilai,
            _per_penilai(session, penilai_ids),
            ButirPenilai.penilai_id.in_(sorted(penilai_ids)),
        )


def _noted_before_delete(_mapper: Any, connection: Any, target: Any) -> None:
    """before_delete of a pegawai, an SKP or an evaluation: the penilai its items wait on."""
    column = {
        Pegawai: ButirKepatuhan.pegawai_id,
        Skp: ButirKepatuhan.skp_id,
        Penilaian: ButirKepatuhan.penilaian_id,
    }[type(target)]
    query = select(ButirKepatuhan.penilai_id).where(
        column == target.id,
        ButirKepatuhan.menunggu == ATASAN,
        ButirKepatuhan.penilai_id.is_not(None),
    )
    found = set(connection.execute(query).scalars())
    session = object_session(target)
    if found and session is not None:
        session.info.setdefault(_GONE, set()).update(found)


def deletions_noted(session: Session) -> bool:
    return bool(session.info.get(_GONE))


def forget_deleted(session: Session) -> None:
    session.info.pop(_GONE, None)


def install_deletion_notes() -> None:
    """Register once: a pegawai, SKP or evaluation deleted notes its items' penilai."""
    for model in (Pegawai, Skp, Penilaian):
        if not event.contains(model, "before_delete", _noted_before_delete):
            event.listen(model, "before_delete", _noted_before_delete)


def per_penilai_differences(session: Session) -> list[str]:
    """The counts per penilai that a count of the items does not confirm."""
    columns = [*(c.key for c in _WAITED_ON), "jumlah"]
    stored = Counter(
        tuple(row)
        for row in session.connection().execute(
            select(*(getattr(ButirPenilai, name) for name in columns))
        )
    )
    fresh = Counter(tuple(row[name] for name in columns) for row in _per_penilai(session, None))
    return [
        f"waiting on penilai {key[4]} stored, not counted: {key}"
        for key in sorted(stored - fresh, key=str)
    ] + [
        f"waiting on penilai {key[4]} counted, not stored: {key}"
        for key in sorted(fresh - stored, key=str)
    ]


def named_by(session: Session, penilai_ids: Collection[int]) -> set[int]:
    """The pegawai whose open items name one of ``penilai_ids`` as pejabat penilai (whose
    rows sort by that name)."""
    if not penilai_ids:
        return set()
    query = select(ButirKepatuhan.pegawai_id).where(
        ButirKepatuhan.penilai_id.in_(sorted(penilai_ids))
    )
    return set(session.connection().execute(query).scalars())


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[name] for name in sorted(row) if name != "id")


def differences(session: Session) -> list[str]:
    """The rows that a fresh look-up does not confirm, and the items it finds that no row
    holds, one line each."""
    columns = [c for c in ButirKepatuhan.__table__.columns if c.name != "id"]
    kept = Counter(
        _key(dict(zip([c.name for c in columns], values, strict=True)))
        for values in session.connection().execute(select(*columns))
    )
    fresh = Counter(_key(row) for row in look_up(session))
    names = sorted(c.name for c in columns)

    def shown(key: tuple[Any, ...]) -> str:
        row = dict(zip(names, key, strict=True))
        where = f"periode {row['periode_id']}" if row["periode_id"] else f"year {row['tahunan_id']}"
        return f"pegawai {row['pegawai_id']}, {where}, {row['kategori']}"

    return (
        [f"open item stored, not found: {shown(k)}" for k in sorted(kept - fresh, key=str)]
        + [f"open item found, not stored: {shown(k)}" for k in sorted(fresh - kept, key=str)]
        + per_penilai_differences(session)
    )


# --- reading them -----------------------------------------------------------------------------


def selected(
    tahunan_id: int,
    due_ids: Collection[int],
    kategori: str | None,
    unit: UnitKerja | None,
    visible: Any,
    opd: UnitKerja | None = None,
) -> Any:
    """The conditions on ButirKepatuhan of the open items of a year: its SKPs and the
    evaluations of the periods ``due_ids``, of ``kategori`` (None: every kategori), in
    ``unit``'s subtree (``opd``: the OPD it lies in, if any) and whose pegawai satisfy
    ``visible`` (a clause on Pegawai.id; None: everyone)."""
    conditions = [
        ButirKepatuhan.tahunan_id == tahunan_id,
        or_(ButirKepatuhan.periode_id.is_(None), ButirKepatuhan.periode_id.in_(sorted(due_ids))),
    ]
    if kategori is not None:
        conditions.append(ButirKepatuhan.kategori == kategori)
    if unit is not None:
        subtree = select(UnitKerja.id).where(UnitKerja.path.startswith(unit.path, autoescape=True))
        conditions.append(ButirKepatuhan.unit_kerja_id.in_(subtree))
        if opd is not None:
            # Every item of a unit inside an OPD has that OPD's keys: said outright, the
            # list's index goes straight to the OPD's items instead of walking the city's.
            conditions += [
                ButirKepatuhan.tanpa_opd.is_(False),
                ButirKepatuhan.opd_nama == opd.nama,
                ButirKepatuhan.opd_id == opd.id,
            ]
    if visible is not None:
        conditions.append(ButirKepatuhan.pegawai_id.in_(select(Pegawai.id).where(visible)))
    return and_(*conditions)
