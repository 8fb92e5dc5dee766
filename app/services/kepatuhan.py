"""Kepatuhan: who is behind in the cycle of a year, and reminders to whoever must act.

Four kinds of open item, each with who it waits on:

* no SKP drawn up for the year, or a draft/returned one not (re)submitted — the pegawai;
* an SKP submitted but not approved — the pejabat penilai;
* an evaluation of a periode that has ended, not yet rated (app.domain.workflow: rated is
  done) — the pegawai while the realisasi is not submitted, the pejabat penilai once it is.

The same evaluations, counted with the rated ones (``penilaian_per_group``), are the
"evaluations due / rated" of the dashboard and of the kepatuhan workbook, so the three show
the same figures for the same unit and period.

The open items themselves are defined and kept as rows in app.services.butir; the page reads
those of the active pegawai the viewer may see (``scope.visible_pegawai_ids``) in the chosen
unit's subtree by index, and its per-unit figures from the maintained counts
(app.services.hitungan), so it costs the same few statements whatever the number of pegawai.
A reminder is an in-app notice (``notify``; e-mailed when MAIL_ENABLED) to each person who
must act, at most one per person per local day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    case,
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from app.domain import tenggat as tenggat_rules
from app.domain import workflow
from app.domain.enums import N_
from app.domain.errors import NotYourRole
from app.domain.org import opd_id_of, path_ids, unit_with_opd
from app.domain.periode import evaluation_jenis
from app.models.hitungan import ButirKepatuhan, ButirPenilai
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.monitoring import Notifikasi
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.security import scope
from app.services import butir, hitungan, hitungan_cabang
from app.services import periode as periode_service
from app.services.cakupan import Cakupan
from app.services.notifikasi import notify
from app.services.paging import Halaman, page_of

# The kinds of open item and who must act on them, defined with the items (app.services.butir).
BELUM_MENYUSUN = butir.BELUM_MENYUSUN
BELUM_MENGAJUKAN = butir.BELUM_MENGAJUKAN
BELUM_DISETUJUI = butir.BELUM_DISETUJUI
BELUM_DINILAI = butir.BELUM_DINILAI
KATEGORI = butir.KATEGORI
PEGAWAI = butir.PEGAWAI
ATASAN = butir.ATASAN

# The notifikasi.jenis of a reminder: how the last send and today's recipients are found.
JENIS_PENGINGAT = "pengingat"

TOP_ATASAN = 20

_UNRATED = butir.UNRATED

# The unrated states that wait on each of them.
_WAITING_ON = {
    menunggu: sorted(state for state, who in _UNRATED.items() if who == menunggu)
    for menunggu in (PEGAWAI, ATASAN)
}


# --- the periods a page counts ----------------------------------------------------------


@dataclass(frozen=True)
class Kewajiban:
    """What the pegawai of a cakupan owe on a day: their SKP of its year, and the
    evaluations of the periods that have come due — those of the year that have ended, or
    only the chosen quarter once it has ended."""

    cakupan: Cakupan
    jatuh_tempo: tuple[Periode, ...]

    @property
    def jatuh_tempo_ids(self) -> list[int]:
        return [p.id for p in self.jatuh_tempo]


# The periods to choose from, the same on every page (app.services.periode).
periode_choices = periode_service.choices


def latest_ended(periods: list[Periode], today: dt.date) -> Periode | None:
    """The evaluation periode of the active year that ended last (the one now being rated),
    else the active year itself."""
    year = periode_service.active_annual(periods)
    if year is None:
        return None
    evaluated = evaluation_jenis(year.ritme)
    ended = [
        p
        for p in periods
        if p.tahun == year.tahun and p.jenis in evaluated and p.tanggal_selesai < today
    ]
    return max(ended, key=lambda p: (p.tanggal_selesai, p.jenis == "tahunan"), default=year)


def kewajiban_of(periods: list[Periode], cakupan: Cakupan, today: dt.date) -> Kewajiban:
    """What is due in ``cakupan`` on ``today``; ``periods`` hold (at least) its year's."""
    chosen = cakupan.periode
    if chosen.jenis == "tahunan":
        evaluated = evaluation_jenis(cakupan.tahunan.ritme)
        due = [
            p
            for p in periods
            if p.tahun == chosen.tahun and p.jenis in evaluated and p.tanggal_selesai < today
        ]
    else:
        due = [chosen] if chosen.tanggal_selesai < today else []
    due.sort(key=lambda p: (p.tanggal_selesai, p.jenis == "tahunan"))
    return Kewajiban(cakupan, tuple(due))


# Which deadline of a periode (app.domain.tenggat) an open evaluation is late against: the
# realisasi deadline while it waits on the pegawai, the rating deadline once on the penilai.
_TENGGAT = {PEGAWAI: tenggat_rules.REALISASI, ATASAN: tenggat_rules.PENILAIAN}


def tenggat_of(kewajiban: Kewajiban, periode_id: int | None, menunggu: str) -> dt.date | None:
    """The deadline of an open evaluation of ``periode_id`` for whoever it waits on."""
    periode = next((p for p in kewajiban.jatuh_tempo if p.id == periode_id), None)
    return periode.tenggat[_TENGGAT[menunggu]] if periode is not None else None


def _late(open_items: Any, kewajiban: Kewajiban, today: dt.date) -> Any:
    """SQL: an open evaluation past its deadline (few periods: one term per deadline)."""
    terms = [
        and_(open_items.c.periode_id == periode.id, open_items.c.menunggu == menunggu)
        for periode in kewajiban.jatuh_tempo
        for menunggu, jenis in _TENGGAT.items()
        if tenggat_rules.terlambat(periode.tenggat[jenis], today)
    ]
    return or_(*terms) if terms else false()


def terlambat(session: Session, viewer: scope.Viewer, kewajiban: Kewajiban, today: dt.date) -> int:
    """How many open evaluations of the selection are past their deadline. One statement."""
    maintained = _maintained(session, viewer, kewajiban)
    if maintained is not None:
        found = hitungan.total(maintained)
        return sum(
            found.of([periode.id], hitungan.PENILAIAN, _WAITING_ON[menunggu])
            for periode in kewajiban.jatuh_tempo
            for menunggu, jenis in _TENGGAT.items()
            if tenggat_rules.terlambat(periode.tenggat[jenis], today)
        )
    open_items = items(session, viewer, kewajiban, BELUM_DINILAI)
    query = select(func.count()).select_from(open_items).where(_late(open_items, kewajiban, today))
    return int(session.execute(query).scalar() or 0)


# --- grouping per unit --------------------------------------------------------------------


def group_key(path: str, unit: UnitKerja | None) -> int | None:
    """The row of a per-unit summary a pegawai of unit ``path`` counts in: its OPD, or with
    ``unit`` chosen its sub-unit of it; None for the pegawai placed in ``unit`` itself (or,
    without one, outside every OPD) — the summary's "directly" row, as in
    app.services.monitoring.summary."""
    level = len(path_ids(unit.path)) if unit is not None else 1
    ids = path_ids(path)
    return ids[level] if len(ids) > level else None


# --- the maintained counts (app.services.hitungan) -------------------------------------------


def _maintained(
    session: Session, viewer: scope.Viewer, kewajiban: Kewajiban
) -> dict[int | None, hitungan.Jumlah] | None:
    """The maintained counts of the selection per group, when they are the viewer's figures
    (scope.sees_every_pegawai_under); None when the viewer's scope must be counted live."""
    unit = kewajiban.cakupan.unit
    if not scope.sees_every_pegawai_under(viewer, unit.path if unit else None):
        return None
    return hitungan.sums(
        session,
        unit,
        [kewajiban.cakupan.tahunan.id, *kewajiban.jatuh_tempo_ids],
        (hitungan.PEGAWAI, hitungan.SKP, hitungan.PENILAIAN),
    )


def _open_counts(jumlah: hitungan.Jumlah, kewajiban: Kewajiban) -> Counter[str]:
    """Open items per kategori from a group's maintained counts: the rules of ``items``
    (the newest SKP of the year; the evaluations due that are not rated) on counts."""
    tahunan = kewajiban.cakupan.tahunan.id
    skp = jumlah.statuses(tahunan, hitungan.SKP)
    found = Counter(
        {
            BELUM_MENYUSUN: jumlah.tanpa_skp(tahunan),
            BELUM_MENGAJUKAN: sum(
                count for status, count in skp.items() if status not in ("diajukan", "disetujui")
            ),
            BELUM_DISETUJUI: skp["diajukan"],
            BELUM_DINILAI: jumlah.of(kewajiban.jatuh_tempo_ids, hitungan.PENILAIAN, _UNRATED),
        }
    )
    return +found  # only the kategori that hold items, as a live count has them


# --- the open items -------------------------------------------------------------------------


def _in_scope(query: Select, viewer: scope.Viewer, unit: UnitKerja | None) -> Select:
    query = query.where(Pegawai.aktif.is_(True))
    clause = scope.visible_pegawai_ids_under(viewer, unit.path if unit else None)
    if clause is not None:
        query = query.where(clause)
    if unit is not None:
        query = query.where(UnitKerja.path.startswith(unit.path, autoescape=True))
    return query


def _due_evaluations(columns: list[Any], viewer: scope.Viewer, kewajiban: Kewajiban) -> Select:
    """The evaluations due: those of the periods that have come due, of every SKP version of
    the year (a revision leaves the periods already under way on the version it replaces),
    of the active pegawai in scope and in the chosen unit's subtree."""
    query = (
        select(*columns)
        .select_from(Penilaian)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(
            Skp.periode_id == kewajiban.cakupan.tahunan.id,
            Penilaian.periode_id.in_(kewajiban.jatuh_tempo_ids),
        )
    )
    return _in_scope(query, viewer, kewajiban.cakupan.unit)


def _rated() -> Any:
    """workflow.PENILAIAN_RATED in SQL."""
    return Penilaian.status.in_(sorted(workflow.PENILAIAN_RATED))


def _selected(
    session: Session,
    viewer: scope.Viewer,
    kewajiban: Kewajiban,
    kategori: str | None,
    opd_keys: bool = True,
) -> Any:
    """The open items (app.services.butir) of the selection: the SKPs of the cakupan's
    year and the evaluations of the periods that have come due, in the chosen unit's
    subtree, of the pegawai the viewer may see; ``opd_keys``: the OPD's keys said outright
    too (for the list's index)."""
    unit = kewajiban.cakupan.unit
    ids = path_ids(unit.path) if unit is not None and opd_keys else []
    return butir.selected(
        kewajiban.cakupan.tahunan.id,
        kewajiban.jatuh_tempo_ids,
        kategori,
        unit,
        scope.visible_pegawai_ids_under(viewer, unit.path if unit else None),
        session.get(UnitKerja, ids[1]) if len(ids) > 1 else None,
    )


def items(
    session: Session, viewer: scope.Viewer, kewajiban: Kewajiban, kategori: str | None = None
) -> Any:
    """Every open item of the selection as one subquery: pegawai_id, kategori, periode_id
    (evaluations), menunggu (PEGAWAI | ATASAN), penilai_id, penerima_id (whoever must act),
    skp_id, penilaian_id."""
    return (
        select(
            ButirKepatuhan.pegawai_id,
            ButirKepatuhan.kategori,
            ButirKepatuhan.periode_id,
            ButirKepatuhan.menunggu,
            ButirKepatuhan.penilai_id,
            ButirKepatuhan.penerima_id,
            ButirKepatuhan.skp_id,
            ButirKepatuhan.penilaian_id,
        )
        .where(_selected(session, viewer, kewajiban, kategori))
        .subquery("items")
    )


def _last_reminder(penerima_id: Any) -> Any:
    """When ``penerima_id`` last had a reminder (one indexed look-up per row shown)."""
    return (
        select(func.max(Notifikasi.dibuat_pada))
        .where(Notifikasi.penerima_id == penerima_id, Notifikasi.jenis == JENIS_PENGINGAT)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Baris:
    """One open item of the list, with the OPD and pejabat penilai it is grouped under."""

    pegawai_id: int
    nip: str
    nama: str
    unit: str
    opd_id: int | None
    opd: str | None
    kategori: str
    periode_id: int | None
    menunggu: str
    penilai_id: int | None
    penilai_nama: str | None
    penilai_nip: str | None
    skp_id: int | None
    penilaian_id: int | None
    diingatkan: dt.datetime | None  # the last reminder to whoever must act (UTC)
    tenggat: dt.date | None = None  # an evaluation's deadline for whoever must act on it


# The page's aliases, built once: SQLAlchemy adapts an alias's columns on their first use,
# which cost the Kepatuhan page a few milliseconds per request when they were built per call.
# Each is used by one statement's outer query only (never also in its subqueries, which would
# correlate to it).
_PEGAWAI = aliased(Pegawai, name="p")
_PENILAI = aliased(Pegawai, name="penilai")
_UNIT = aliased(UnitKerja, name="unit")
_OPD = aliased(UnitKerja, name="opd")


def _full_name(depan: str | None, nama: str | None, belakang: str | None) -> str | None:
    if nama is None:
        return None
    return f"{depan + ' ' if depan else ''}{nama}{', ' + belakang if belakang else ''}"


def halaman(
    session: Session,
    viewer: scope.Viewer,
    kewajiban: Kewajiban,
    kategori: str | None,
    nomor: int,
) -> Halaman[Baris]:
    """One page of the open items, grouped by OPD, then by pejabat penilai, then by name:
    read in the order of the items' index (app.models.hitungan.ButirKepatuhan), whatever
    the number of pegawai. Two statements: the count (none when the maintained counts give
    it) and the page."""
    pegawai, penilai, unit, opd = _PEGAWAI, _PENILAI, _UNIT, _OPD
    item = ButirKepatuhan
    query = (
        select(
            item.pegawai_id,
            item.kategori,
            item.periode_id,
            item.menunggu,
            item.penilai_id,
            item.skp_id,
            item.penilaian_id,
            item.opd_id,
            pegawai.nip,
            pegawai.gelar_depan,
            pegawai.nama,
            pegawai.gelar_belakang,
            unit.nama.label("unit_nama"),
            unit.nama_lengkap.label("unit_lengkap"),
            opd.nama.label("opd_nama"),
            penilai.gelar_depan.label("penilai_gelar_depan"),
            penilai.nama.label("penilai_nama"),
            penilai.gelar_belakang.label("penilai_gelar_belakang"),
            penilai.nip.label("penilai_nip"),
            _last_reminder(item.penerima_id).label("diingatkan"),
        )
        .join(pegawai, pegawai.id == item.pegawai_id)
        .join(unit, unit.id == pegawai.unit_kerja_id)
        .outerjoin(opd, opd.id == item.opd_id)
        .outerjoin(penilai, penilai.id == item.penilai_id)
        .where(_selected(session, viewer, kewajiban, kategori))
        .order_by(
            item.tahunan_id,
            item.tanpa_opd,
            item.opd_nama,
            item.opd_id,
            item.tanpa_penilai,
            item.penilai_nama,
            item.penilai_id,
            item.pegawai_nama,
            item.pegawai_id,
            item.urutan,
            item.periode_selesai,
        )
    )
    maintained = _maintained(session, viewer, kewajiban)
    total = None
    if maintained is not None:
        found = _open_counts(hitungan.total(maintained), kewajiban)
        total = found[kategori] if kategori else sum(found.values())
    counted = items(session, viewer, kewajiban, kategori)
    page = page_of(session, query, nomor, entities=False, counted=counted, total=total)
    rows = [
        Baris(
            pegawai_id=r.pegawai_id,
            nip=r.nip,
            nama=_full_name(r.gelar_depan, r.nama, r.gelar_belakang) or "",
            unit=unit_with_opd(r.unit_nama, r.unit_lengkap),
            opd_id=r.opd_id,
            opd=r.opd_nama,
            kategori=r.kategori,
            periode_id=r.periode_id,
            menunggu=r.menunggu,
            penilai_id=r.penilai_id,
            penilai_nama=_full_name(
                r.penilai_gelar_depan, r.penilai_nama, r.penilai_gelar_belakang
            ),
            penilai_nip=r.penilai_nip,
            skp_id=r.skp_id,
            penilaian_id=r.penilaian_id,
            diingatkan=r.diingatkan,
            tenggat=tenggat_of(kewajiban, r.periode_id, r.menunggu),
        )
        for r in page.rows
    ]
    return replace(page, rows=rows)


# --- summaries ------------------------------------------------------------------------------


def per_unit(
    session: Session, viewer: scope.Viewer, kewajiban: Kewajiban
) -> dict[int | None, Counter[str]]:
    """Open items per kategori, keyed by ``group_key`` (OPD, or sub-unit of the chosen
    unit). One statement."""
    maintained = _maintained(session, viewer, kewajiban)
    if maintained is not None:
        found = {key: _open_counts(jumlah, kewajiban) for key, jumlah in maintained.items()}
        return {key: counts for key, counts in found.items() if counts}
    open_items = items(session, viewer, kewajiban)
    pegawai = _PEGAWAI
    query = (
        select(UnitKerja.path, open_items.c.kategori, func.count())
        .select_from(open_items)
        .join(pegawai, pegawai.id == open_items.c.pegawai_id)
        .join(UnitKerja, UnitKerja.id == pegawai.unit_kerja_id)
        .group_by(UnitKerja.path, open_items.c.kategori)
    )
    counts: dict[int | None, Counter[str]] = {}
    for path, kategori, count in session.execute(query):
        counts.setdefault(group_key(path, kewajiban.cakupan.unit), Counter())[kategori] += count
    return counts


@dataclass
class Penyelesaian:
    """The evaluations due and how many of them are rated (done)."""

    jatuh_tempo: int = 0
    dinilai: int = 0

    @property
    def belum_dinilai(self) -> int:
        return self.jatuh_tempo - self.dinilai

    def add(self, other: Penyelesaian) -> None:
        self.jatuh_tempo += other.jatuh_tempo
        self.dinilai += other.dinilai


def penilaian_per_group(
    session: Session, viewer: scope.Viewer, kewajiban: Kewajiban
) -> dict[int | None, Penyelesaian]:
    """The evaluations due and rated, keyed by ``group_key``: what the dashboard and the
    kepatuhan workbook show beside the open evaluations of this page. One statement."""
    counts: dict[int | None, Penyelesaian] = {}
    if not kewajiban.jatuh_tempo:
        return counts
    maintained = _maintained(session, viewer, kewajiban)
    if maintained is not None:
        for key, jumlah in maintained.items():
            due = sum(
                sum(jumlah.statuses(periode_id, hitungan.PENILAIAN).values())
                for periode_id in kewajiban.jatuh_tempo_ids
            )
            rated = jumlah.of(
                kewajiban.jatuh_tempo_ids, hitungan.PENILAIAN, workflow.PENILAIAN_RATED
            )
            if due:
                counts[key] = Penyelesaian(due, rated)
        return counts
    rated = func.sum(case((_rated(), 1), else_=0))
    query = _due_evaluations(
        [UnitKerja.path, func.count(Penilaian.id), rated], viewer, kewajiban
    ).group_by(UnitKerja.path)
    for path, due, done in session.execute(query):
        found = counts.setdefault(group_key(path, kewajiban.cakupan.unit), Penyelesaian())
        found.add(Penyelesaian(int(due), int(done or 0)))  # PostgreSQL sums as numeric
    return counts


@dataclass(frozen=True)
class Atasan:
    """A pejabat penilai and what waits on them: SKPs to approve, evaluations to rate."""

    pegawai_id: int
    nama: str
    nip: str
    unit: str
    skp: int
    penilaian: int

    @property
    def total(self) -> int:
        return self.skp + self.penilaian


def _most_waiting_kept(kewajiban: Kewajiban, opd: UnitKerja | None, limit: int) -> Any:
    """The penilai with most waiting in the city or in one OPD (``opd``) seen whole, from
    the counts kept per penilai (butir.recount_penilai): a few rows per penilai."""
    kept = ButirPenilai
    waiting = func.sum(kept.jumlah)
    periods = [0, *sorted(kewajiban.jatuh_tempo_ids)]
    query = select(
        kept.penilai_id,
        func.sum(case((kept.kategori == BELUM_DISETUJUI, kept.jumlah), else_=0)).label("skp"),
        func.sum(case((kept.kategori == BELUM_DINILAI, kept.jumlah), else_=0)).label("penilaian"),
        waiting.label("jumlah"),
    ).where(
        kept.tahunan_id == kewajiban.cakupan.tahunan.id,
        # The SKPs' items have no periode.
        hitungan_cabang.in_periods(kept.periode_id, periods),
    )
    if opd is not None:
        query = query.where(kept.opd_id == opd.id)
    return (
        query.group_by(kept.penilai_id, kept.penilai_nama)
        .order_by(waiting.desc(), kept.penilai_nama, kept.penilai_id)
        .limit(limit)
        .subquery("top")
    )


def _most_waiting_counted(
    session: Session, viewer: scope.Viewer, kewajiban: Kewajiban, limit: int
) -> Any:
    """The penilai with most waiting in the selection, counted from its open items."""
    item = ButirKepatuhan
    waiting = func.count()
    return (
        select(
            item.penilai_id,
            func.sum(case((item.kategori == BELUM_DISETUJUI, 1), else_=0)).label("skp"),
            func.sum(case((item.kategori == BELUM_DINILAI, 1), else_=0)).label("penilaian"),
            waiting.label("jumlah"),
        )
        .where(
            # Without the OPD's keys, which would lure SQLite's planner onto the list's index
            # (the OPD's every item, 42 ms at 100,000 pegawai) from this count's own (7 ms).
            _selected(session, viewer, kewajiban, None, opd_keys=False),
            item.menunggu == ATASAN,
            item.penilai_id.is_not(None),
        )
        .group_by(item.penilai_id, item.penilai_nama)
        .order_by(waiting.desc(), item.penilai_nama, item.penilai_id)
        .limit(limit)
        .subquery("top")
    )


def per_atasan(
    session: Session, viewer: scope.Viewer, kewajiban: Kewajiban, limit: int = TOP_ATASAN
) -> list[Atasan]:
    """The pejabat penilai with the most items waiting on them, most first. One statement:
    the counts kept per penilai for a viewer of the city or an OPD whole, else the items
    waiting on a penilai counted per penilai (by index); then the few named."""
    unit = kewajiban.cakupan.unit
    if (unit is None or opd_id_of(unit.path) == unit.id) and scope.sees_every_pegawai_under(
        viewer, unit.path if unit else None
    ):
        top = _most_waiting_kept(kewajiban, unit, limit)
    else:
        top = _most_waiting_counted(session, viewer, kewajiban, limit)
    penilai = _PENILAI
    query = (
        select(
            penilai.id,
            penilai.gelar_depan,
            penilai.nama,
            penilai.gelar_belakang,
            penilai.nip,
            UnitKerja.nama.label("unit"),
            UnitKerja.nama_lengkap.label("unit_lengkap"),
            top.c.skp,
            top.c.penilaian,
        )
        .select_from(top)
        .join(penilai, penilai.id == top.c.penilai_id)
        .join(UnitKerja, UnitKerja.id == penilai.unit_kerja_id)
        .order_by(top.c.jumlah.desc(), penilai.nama, penilai.id)
    )
    return [
        Atasan(
            r.id,
            _full_name(r.gelar_depan, r.nama, r.gelar_belakang) or "",
            r.nip,
            unit_with_opd(r.unit, r.unit_lengkap),
            int(r.skp or 0),
            int(r.penilaian or 0),
        )
        for r in session.execute(query)
    ]


# --- reminders ------------------------------------------------------------------------------

# One notice per person, worded by what they must do: their own steps, their staff's
# SKPs/evaluations waiting on them, or both.
PESAN_SENDIRI = N_(
    "Reminder from %(pengirim)s: %(sendiri)d of your SKP or evaluation steps for %(tahun)s "
    "are still open."
)
PESAN_BAWAHAN = N_(
    "Reminder from %(pengirim)s: %(bawahan)d SKPs or evaluations of your staff for %(tahun)s "
    "are waiting for your approval or rating."
)
PESAN_KEDUANYA = N_(
    "Reminder from %(pengirim)s: %(sendiri)d of your SKP or evaluation steps for %(tahun)s "
    "are still open, and %(bawahan)d SKPs or evaluations of your staff are waiting for your "
    "approval or rating."
)
TAUTAN_SENDIRI = "/kinerja-saya/"
TAUTAN_BAWAHAN = "/"  # the dashboard lists the approvals and ratings waiting, with links


@dataclass(frozen=True)
class Penerima:
    """How many people a reminder of the selection would reach, and how many of them were
    already reminded today (and so would be skipped)."""

    total: int
    sudah_hari_ini: int

    @property
    def akan_dikirim(self) -> int:
        return self.total - self.sudah_hari_ini


def _reminded_since(since_utc: dt.datetime) -> Any:
    return select(Notifikasi.penerima_id).where(
        Notifikasi.jenis == JENIS_PENGINGAT, Notifikasi.dibuat_pada >= since_utc
    )


def penerima(
    session: Session,
    viewer: scope.Viewer,
    kewajiban: Kewajiban,
    kategori: str | None,
    day_start_utc: dt.datetime,
) -> Penerima:
    """Who a reminder would reach (never the viewer themself). One statement."""
    recipient = ButirKepatuhan.penerima_id
    reminded = recipient.in_(_reminded_since(day_start_utc))
    query = select(
        func.count(func.distinct(recipient)),
        func.count(func.distinct(case((reminded, recipient)))),
    ).where(_selected(session, viewer, kewajiban, kategori))
    if viewer.pegawai_id is not None:
        query = query.where(recipient != viewer.pegawai_id)
    row = session.execute(query).one()
    return Penerima(int(row[0] or 0), int(row[1] or 0))


def terakhir_dikirim(session: Session, viewer: scope.Viewer) -> dt.datetime | None:
    """When a reminder last went to anyone the viewer may see (UTC). One statement."""
    query = select(func.max(Notifikasi.dibuat_pada)).where(Notifikasi.jenis == JENIS_PENGINGAT)
    clause = scope.visible_pegawai_ids(viewer)
    if clause is not None:
        query = query.join(Pegawai, Pegawai.id == Notifikasi.penerima_id).where(clause)
    return session.execute(query).scalar()


@dataclass(frozen=True)
class Hasil:
    dikirim: int
    dilewati: int  # already reminded today


def may_remind(viewer: scope.Viewer) -> bool:
    """Admin BKPSDM, and the head of an OPD for their OPD."""
    return viewer.is_admin or bool(viewer.opd_paths)


def kirim_pengingat(
    session: Session,
    viewer: scope.Viewer,
    kewajiban: Kewajiban,
    kategori: str | None,
    pengirim: str,
    day_start_utc: dt.datetime,
) -> Hasil:
    """Remind everyone who must act on an open item of the selection: one notice per
    person, skipping whoever already had a reminder since ``day_start_utc`` (the start of
    the local day) and the sender themself. The audit hook records each notice; the caller
    commits."""
    if not may_remind(viewer):
        raise NotYourRole(N_("Only admin BKPSDM or the head of an OPD may send reminders."))
    item = ButirKepatuhan
    own = func.sum(case((item.menunggu == PEGAWAI, 1), else_=0))
    staff = func.sum(case((item.menunggu == ATASAN, 1), else_=0))
    query = select(item.penerima_id, own.label("sendiri"), staff.label("bawahan")).where(
        _selected(session, viewer, kewajiban, kategori), item.penerima_id.is_not(None)
    )
    if viewer.pegawai_id is not None:
        query = query.where(item.penerima_id != viewer.pegawai_id)  # not to oneself
    todo = session.execute(query.group_by(item.penerima_id).order_by(item.penerima_id)).all()
    reminded = set(session.execute(_reminded_since(day_start_utc)).scalars())
    sent = skipped = 0
    for row in todo:
        if row.penerima_id in reminded:
            skipped += 1
            continue
        sendiri, bawahan = int(row.sendiri or 0), int(row.bawahan or 0)
        if sendiri and bawahan:
            pesan, tautan = PESAN_KEDUANYA, TAUTAN_BAWAHAN
        elif bawahan:
            pesan, tautan = PESAN_BAWAHAN, TAUTAN_BAWAHAN
        else:
            pesan, tautan = PESAN_SENDIRI, TAUTAN_SENDIRI
        notify(
            session,
            row.penerima_id,
            JENIS_PENGINGAT,
            pesan,
            tautan,
            pengirim=pengirim,
            sendiri=sendiri,
            bawahan=bawahan,
            tahun=kewajiban.cakupan.tahunan.tahun,
        )
        sent += 1
    return Hasil(sent, skipped)
