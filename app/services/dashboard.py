"""The landing page after login, per role, in a fixed number of aggregate statements.

* every pegawai: their own SKP and what is due (app.services.kinerja_saya, not re-queried);
* a pejabat penilai: their appraisees' SKP and evaluation statuses and the approvals,
  ratings and objections waiting on them;
* the head of an OPD and admin BKPSDM: completion per OPD (or per sub-unit of a chosen unit)
  and the distribution of predikat, with the same filters as the exports (periode, unit
  kerja with its subtree) and the same scope as every other read;
* everyone: how many days are left in the active evaluation periode and year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select, union, union_all
from sqlalchemy.orm import Session

from app.domain import org, scoring
from app.domain.periode import evaluation_jenis
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian
from app.models.skp import Skp
from app.security import acting, scope
from app.services import hitungan, kepatuhan, monitoring
from app.services import penilaian as penilaian_service
from app.services import periode as periode_service
from app.services import skp as skp_service
from app.services.cakupan import Cakupan

# --- the countdown --------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenggat:
    """The active year and the evaluation periode running today, with the days left in each
    (0 on the last day; negative once it has ended); and the evaluation periode that ended
    last (the one being filled in and rated now) with the days left to its deadlines."""

    tahun: Periode | None
    sisa_tahun: int | None
    periode: Periode | None
    sisa_periode: int | None
    dievaluasi: Periode | None = None
    sisa_batas: dict[str, int] = field(default_factory=dict)


def tenggat(periods: list[Periode], today: dt.date) -> Tenggat:
    year = next((p for p in periods if p.jenis == "tahunan" and p.aktif), None)
    if year is None:
        return Tenggat(None, None, None, None)
    running = next(
        (
            p
            for p in periods
            if p.tahun == year.tahun
            and p.jenis != "tahunan"
            and p.tanggal_mulai <= today <= p.tanggal_selesai
        ),
        None,
    )
    ended = [
        p
        for p in periods
        if p.tahun == year.tahun
        and p.jenis in evaluation_jenis(year.ritme)
        and p.tanggal_selesai < today
    ]
    evaluated = max(ended, key=lambda p: (p.tanggal_selesai, p.jenis == "tahunan"), default=None)
    return Tenggat(
        year,
        (year.tanggal_selesai - today).days,
        running,
        (running.tanggal_selesai - today).days if running else None,
        evaluated,
        {jenis: (batas - today).days for jenis, batas in evaluated.tenggat.items()}
        if evaluated
        else {},
    )


# --- the pejabat penilai's part ---------------------------------------------------------------


@dataclass
class BagianAtasan:
    """What the viewer's appraisees (whose pejabat penilai they are) stand at in the active
    year, and what waits on the viewer."""

    tahun: Periode
    skp: dict[str, int]  # monitoring.STATUSES → count of appraisees
    penilaian: list[tuple[Periode, Counter[str]]]  # per evaluation periode: status → count
    skp_menunggu: int  # submitted SKPs to approve
    penilaian_menunggu: int  # submitted realisasi to rate
    keberatan_menunggu: int  # objections to decide as atasan pejabat penilai

    @property
    def bawahan(self) -> int:
        return sum(self.skp.values())

    @property
    def keberatan_bawahan(self) -> int:
        """Ratings given by the viewer that are under objection (decided one level up)."""
        return sum(counts["keberatan"] for _, counts in self.penilaian)

    @property
    def ada(self) -> bool:
        return bool(
            self.bawahan or self.skp_menunggu or self.penilaian_menunggu or self.keberatan_menunggu
        )


def _appraisees_of(viewer: scope.Viewer) -> Select:
    """Ids of the pegawai whose pejabat penilai (``Pegawai.penilai_id``) is the viewer, and
    of the staff of a post a running Plt/Plh assignment of theirs covers: one indexed
    look-up per case."""
    me = viewer.pegawai_id
    return union_all(
        *(select(Pegawai.id).where(case) for case in Pegawai.penilai_cases(lambda c: c == me)),
        *(branch for post in viewer.acting for branch in acting.staff_of(post)),
    )


def bagian_atasan(
    session: Session, viewer: scope.Viewer, periods: list[Periode]
) -> BagianAtasan | None:
    """Three statements: appraisees' SKP statuses, their evaluations per periode and status,
    and the three counts of what waits on the viewer."""
    me = viewer.pegawai_id
    year = periode_service.active_annual(periods)
    if me is None or year is None:
        return None
    skp_counts = dict.fromkeys(monitoring.STATUSES, 0)
    rows = session.execute(
        select(Skp.status, func.count(Pegawai.id))
        .select_from(Pegawai)
        .outerjoin(Skp, Skp.newest_of_year(Pegawai.id, year.id))
        .where(Pegawai.aktif.is_(True), Pegawai.id != me, Pegawai.id.in_(_appraisees_of(viewer)))
        .group_by(Skp.status)
    )
    for status, count in rows:
        skp_counts[status or monitoring.BELUM_DIBUAT] += count

    # Driven from the viewer's evaluations (a few hundred, by index): as ``id IN (…)`` the
    # database walks every evaluation of the year's SKPs instead (13 s at 100,000 pegawai).
    mine = union(*penilaian_service.appraised_by(viewer)).subquery("mine")
    by_periode: dict[int, Counter[str]] = {}
    for periode_id, status, count in session.execute(
        select(Penilaian.periode_id, Penilaian.status, func.count(Penilaian.id))
        .select_from(mine)
        .join(Penilaian, Penilaian.id == mine.c.id)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .where(Skp.periode_id == year.id)
        .group_by(Penilaian.periode_id, Penilaian.status)
    ):
        by_periode.setdefault(periode_id, Counter())[status] += count
    evaluated = evaluation_jenis(year.ritme)
    evaluations = [
        (p, by_periode.get(p.id, Counter()))
        for p in sorted(
            (p for p in periods if p.tahun == year.tahun and p.jenis in evaluated),
            key=lambda p: (p.tanggal_selesai, p.jenis == "tahunan"),
        )
    ]

    # The rules of the approval inbox (services.skp), the rating list and the objections
    # (services.penilaian), counted instead of loaded.
    to_approve = skp_service.in_inbox_of(
        select(func.count(Skp.id)).where(Skp.status == "diajukan"), viewer
    ).scalar_subquery()
    to_rate = (
        select(func.count(Penilaian.id))
        .select_from(mine)
        .join(Penilaian, Penilaian.id == mine.c.id)
        .where(Penilaian.status == "diajukan")
        .scalar_subquery()
    )
    objections = penilaian_service.decided_by(me).cte("objections").prefix_with("MATERIALIZED")
    to_decide = (
        select(func.count(Penilaian.id))
        .select_from(objections)
        .join(Penilaian, Penilaian.id == objections.c.id)
        .where(Penilaian.status == "keberatan")
        .scalar_subquery()
    )
    approve, rate, decide = session.execute(select(to_approve, to_rate, to_decide)).one()
    return BagianAtasan(year, skp_counts, evaluations, approve or 0, rate or 0, decide or 0)


# --- the OPD part ---------------------------------------------------------------------------


@dataclass
class BarisOpd:
    """Completion of one OPD (or sub-unit): approved SKPs among the active pegawai, rated
    evaluations among those due (kepatuhan.penilaian_per_group: the figures of the Kepatuhan
    page and its workbook), and the predikat of the chosen periode."""

    unit_id: int | None
    nama: str
    direct: bool
    pegawai: int
    skp_disetujui: int
    dinilai: int = 0
    dinilai_diharapkan: int = 0  # the evaluations due
    predikat: Counter[str] = field(default_factory=Counter)  # of the chosen periode

    @property
    def skp_persen(self) -> float | None:
        return 100 * self.skp_disetujui / self.pegawai if self.pegawai else None

    @property
    def dinilai_persen(self) -> float | None:
        due = self.dinilai_diharapkan
        return 100 * self.dinilai / due if due else None


@dataclass
class BagianOpd:
    kewajiban: kepatuhan.Kewajiban
    rows: list[BarisOpd]
    total: BarisOpd
    predikat: dict[str, int] = field(default_factory=dict)  # scoring.PREDIKAT order

    @property
    def predikat_total(self) -> int:
        return sum(self.predikat.values())


def _scoped(query, viewer: scope.Viewer, unit: UnitKerja | None):  # noqa: ANN001, ANN202
    query = query.where(Pegawai.aktif.is_(True))
    clause = scope.visible_pegawai_ids_under(viewer, unit.path if unit else None)
    if clause is not None:
        query = query.where(clause)
    if unit is not None:
        query = query.where(UnitKerja.path.startswith(unit.path, autoescape=True))
    return query


def _rated_predikat(counts: Counter[str]) -> Counter[str]:
    return Counter({key: count for key, count in counts.items() if key in scoring.PREDIKAT})


def predikat_per_group(
    session: Session, viewer: scope.Viewer, cakupan: Cakupan
) -> dict[int | None, Counter[str]]:
    """How many rated evaluations of the chosen periode hold each predikat, keyed by
    kepatuhan.group_key. One statement (of the maintained counts when they serve the
    viewer, app.services.hitungan)."""
    if scope.sees_every_pegawai_under(viewer, cakupan.unit.path if cakupan.unit else None):
        periode = cakupan.periode.id
        return {
            key: counts
            for key, jumlah in hitungan.sums(
                session, cakupan.unit, [periode], (hitungan.PREDIKAT,)
            ).items()
            if (counts := _rated_predikat(jumlah.statuses(periode, hitungan.PREDIKAT)))
        }
    query = (
        select(UnitKerja.path, Penilaian.predikat, func.count(Penilaian.id))
        .select_from(Penilaian)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(
            Skp.periode_id == cakupan.tahunan.id,
            Penilaian.periode_id == cakupan.periode.id,
            Penilaian.predikat.in_(list(scoring.PREDIKAT)),
        )
        .group_by(UnitKerja.path, Penilaian.predikat)
    )
    counts: dict[int | None, Counter[str]] = {}
    for path, predikat, count in session.execute(_scoped(query, viewer, cakupan.unit)):
        counts.setdefault(kepatuhan.group_key(path, cakupan.unit), Counter())[predikat] += count
    return counts


def bagian_opd(session: Session, viewer: scope.Viewer, kewajiban: kepatuhan.Kewajiban) -> BagianOpd:
    """Completion and predikat per OPD or sub-unit, and in all. Four statements: the
    monitoring summary (units and SKP counts), the evaluations due and rated, predikat."""
    summary, total = monitoring.summary(session, viewer, kewajiban.cakupan)
    evaluations = kepatuhan.penilaian_per_group(session, viewer, kewajiban)
    predikat = predikat_per_group(session, viewer, kewajiban.cakupan)
    rows = []
    for row in summary:
        key = None if row.direct else row.unit_id
        done = evaluations.get(key, kepatuhan.Penyelesaian())
        rows.append(
            BarisOpd(
                unit_id=row.unit_id,
                nama=row.nama,
                direct=row.direct,
                pegawai=row.total,
                skp_disetujui=row.counts["disetujui"],
                dinilai=done.dinilai,
                dinilai_diharapkan=done.jatuh_tempo,
                predikat=predikat.get(key, Counter()),
            )
        )
    overall = BarisOpd(
        unit_id=None,
        nama=total.nama,
        direct=False,
        pegawai=total.total,
        skp_disetujui=total.counts["disetujui"],
        dinilai=sum(row.dinilai for row in rows),
        dinilai_diharapkan=sum(row.dinilai_diharapkan for row in rows),
        predikat=sum((row.predikat for row in rows), Counter()),
    )
    return BagianOpd(
        kewajiban, rows, overall, {key: overall.predikat[key] for key in scoring.PREDIKAT}
    )


def shows_opd(viewer: scope.Viewer) -> bool:
    """The OPD part is for admin BKPSDM and the head of an OPD."""
    return viewer.is_admin or bool(viewer.opd_paths)


def default_unit_id(viewer: scope.Viewer) -> int | None:
    """A pimpinan heading one OPD starts inside it (its sub-units); admin starts at the OPDs."""
    if viewer.is_admin or len(viewer.opd_paths) != 1:
        return None
    return org.opd_id_of(viewer.opd_paths[0])


def active_pegawai(session: Session, viewer: scope.Viewer) -> int:
    """Active pegawai in the viewer's scope: for a viewer of the whole city (admin BKPSDM)
    the maintained counts (counting the city's pegawai took 6 ms at 100,000), else counted."""
    if scope.sees_every_pegawai_under(viewer, None):
        return hitungan.active_pegawai_of_city(session)
    query = select(func.count(Pegawai.id)).where(Pegawai.aktif.is_(True))
    clause = scope.visible_pegawai_ids(viewer)
    if clause is not None:
        query = query.where(clause)
    return session.execute(query).scalar_one()
