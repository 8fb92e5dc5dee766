"""Kurva distribusi (SE MenPANRB 3/2023): admin BKPSDM records the predikat kinerja
organisasi of an OPD for a periode, as the pimpinan above sets it (for an OPD: the Wali Kota,
with the number of the penetapan); the pimpinan of the OPD sees it as given, checks the
predikat of the OPD's pegawai against the rule it implies, tries what-ifs, and justifies in
writing a distribution that breaks the rule. The same predikat is the basis of the OPD head's
own rating hasil kerja (dasar_rating, alasan_menyimpang).

A breach is a warning, never a block: ratings change only on the penilaian page, by the
pejabat penilai. Admin BKPSDM may open any OPD, a pimpinan OPD the OPD(s) they head; any other
unit answers NotFound (404), like every row outside the viewer's scope. The rules themselves
and their exact integer comparison live in app.domain.scoring, written once.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from app.domain import org, scoring
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole, TransitionRefused
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.penilaian import KurvaJustifikasi, Penilaian, PredikatOrganisasi
from app.models.skp import Skp
from app.security import scope
from app.services import hitungan, kepatuhan
from app.services import periode as periode_service
from app.services.errors import NotFound, checked_id, checked_text, stale
from app.services.paging import Halaman, page_of


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- the rules, as the page and the browser's what-if read them --------------------------


def rule_key(predikat_organisasi: str, rule: scoring.KurvaRule) -> str:
    """A stable name of a rule line, stored with a justification:
    "baik:butuh_perbaikan+kurang:at_least_count=1"."""
    bounds = (
        ("at_least", rule.at_least),
        ("at_most", rule.at_most),
        ("at_least_count", rule.at_least_count),
    )
    bound = ",".join(f"{name}={value}" for name, value in bounds if value is not None)
    return f"{predikat_organisasi}:{'+'.join(sorted(rule.predikat))}:{bound}"


def rules_data() -> dict[str, list[dict[str, Any]]]:
    """KURVA_RULES as plain data (messages still msgids), embedded in the page so that the
    browser's what-if applies the same rules as scoring.kurva_breaches."""
    return {
        organisasi: [
            {
                "key": rule_key(organisasi, rule),
                "message": rule.message,
                "predikat": sorted(rule.predikat),
                "at_least": rule.at_least,
                "at_most": rule.at_most,
                "at_least_count": rule.at_least_count,
            }
            for rule in rules
        ]
        for organisasi, rules in scoring.KURVA_RULES.items()
    }


# --- a distribution and its check --------------------------------------------------------


@dataclass(frozen=True)
class Aturan:
    """One rule line of the predikat organisasi, checked against a distribution."""

    key: str
    message: str  # msgid
    count: int
    total: int
    breached: bool
    rule: scoring.KurvaRule  # its bound, for the chart

    @property
    def persen(self) -> float:
        return 100 * self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class Distribusi:
    """How many rated pegawai hold each predikat, and the rule lines that apply."""

    counts: dict[str, int]  # every predikat, in scoring.PREDIKAT order
    total: int  # rated
    belum_dinilai: int  # listed but without a predikat for the periode
    predikat_organisasi: str | None
    aturan: list[Aturan]

    def persen(self, predikat: str) -> float:
        return 100 * self.counts[predikat] / self.total if self.total else 0.0

    @property
    def breaches(self) -> list[Aturan]:
        return [line for line in self.aturan if line.breached]


def distribusi(predikat_organisasi: str | None, predikats: Iterable[str | None]) -> Distribusi:
    """Count the predikat (None = not rated) and check them with scoring.kurva_breaches
    against the rule of ``predikat_organisasi`` (no rule when it is not set)."""
    values = list(predikats)
    rated = [value for value in values if value is not None]
    counts = Counter(rated)
    aturan = []
    if predikat_organisasi is not None:
        broken = scoring.kurva_breaches(predikat_organisasi, rated)
        for rule in scoring.KURVA_RULES[predikat_organisasi]:
            aturan.append(
                Aturan(
                    key=rule_key(predikat_organisasi, rule),
                    message=rule.message,
                    count=sum(counts[p] for p in rule.predikat),
                    total=len(rated),
                    breached=any(breach.rule is rule for breach in broken),
                    rule=rule,
                )
            )
    return Distribusi(
        counts={key: counts[key] for key in scoring.PREDIKAT},
        total=len(rated),
        belum_dinilai=len(values) - len(rated),
        predikat_organisasi=predikat_organisasi,
        aturan=aturan,
    )


# --- what the viewer may choose ----------------------------------------------------------


def opd_choices(session: Session, viewer: scope.Viewer) -> list[UnitKerja]:
    """The OPDs the viewer may calibrate: every OPD for admin, the headed ones for a pimpinan."""
    query = select(UnitKerja).order_by(UnitKerja.nama, UnitKerja.id)
    if viewer.is_admin:
        slashes = func.length(UnitKerja.path) - func.length(func.replace(UnitKerja.path, "/", ""))
        query = query.where(slashes == 3)
    elif viewer.opd_paths:
        query = query.where(UnitKerja.path.in_(viewer.opd_paths))
    else:
        return []
    return list(session.execute(query).scalars())


def default_opd_id(viewer: scope.Viewer) -> int | None:
    """A pimpinan starts on (the first of) their own OPD; admin chooses."""
    if not viewer.opd_paths:
        return None
    return int(viewer.opd_paths[0].strip("/").split("/")[1])


# The periods to choose from, the same on every page (app.services.periode).
periode_choices = periode_service.choices


def default_periode(periods: list[Periode], today: dt.date) -> Periode | None:
    """The periode being rated now, as on Kepatuhan (the active year's evaluation periode
    that ended last, else the year itself): the annual one holds no predikat until the year
    is over. Else the newest."""
    return kepatuhan.latest_ended(periods, today) or (periods[0] if periods else None)


def opd_for(session: Session, viewer: scope.Viewer, unit_id: int | None) -> UnitKerja:
    """The OPD if the viewer may calibrate it; any other unit, or another OPD, is NotFound."""
    unit = session.get(UnitKerja, unit_id) if unit_id is not None else None
    if (
        unit is None
        or not scope.is_opd_path(unit.path)
        or not (viewer.is_admin or unit.path in viewer.opd_paths)
    ):
        raise NotFound(N_("Work unit not found."))
    return unit


def periode_for(session: Session, periode_id: int | None) -> Periode:
    periode = session.get(Periode, periode_id) if periode_id is not None else None
    if periode is None:
        raise NotFound(N_("Period not found."))
    return periode


# --- the calibration page ----------------------------------------------------------------


@dataclass(frozen=True)
class Anggota:
    """A pegawai of the OPD's subtree and their predikat for the periode (None: not rated)."""

    pegawai_id: int
    nip: str
    nama: str
    unit: str
    predikat: str | None
    penilaian_id: int | None


@dataclass(frozen=True)
class Kalibrasi:
    opd: UnitKerja
    periode: Periode
    penetapan: PredikatOrganisasi | None
    ditetapkan_oleh: Pegawai | None
    anggota: Halaman[Anggota]  # one page, by name
    distribusi: Distribusi
    riwayat: list[KurvaJustifikasi]  # newest first
    predikat_anggota: Counter[str | None] = field(default_factory=Counter)  # all members

    @property
    def predikat_organisasi(self) -> str | None:
        return self.penetapan.predikat if self.penetapan else None

    @property
    def justified(self) -> bool:
        """The newest justification names every rule broken now (a new breach, or another
        predikat organisasi, needs a new one)."""
        if not self.riwayat or not self.distribusi.breaches:
            return False
        named = {item.get("key") for item in self.riwayat[0].pelanggaran or []}
        return {line.key for line in self.distribusi.breaches} <= named


def _nama(depan: str | None, nama: str, belakang: str | None) -> str:
    return f"{depan + ' ' if depan else ''}{nama}{', ' + belakang if belakang else ''}"


def _anggota_query(
    viewer: scope.Viewer, opd: UnitKerja, periode: Periode, counted: bool = False
) -> Select:
    """The OPD subtree's pegawai in the viewer's scope (the active ones, and whoever was
    rated for the periode), each with the predikat of their newest SKP version that has an
    evaluation for the periode — looked up per pegawai (indexes on skp.pegawai_id and
    penilaian.skp_id), not grouped over every SKP of the city. ``counted``: how many hold
    each predikat instead."""

    def of_newest(column: Any) -> Any:
        # "+ 0": the periode compared as a value, not through its index, so that the look-up
        # starts from the pegawai's few SKPs; a planner without statistics (SQLite after a
        # bulk load) would otherwise walk the periode's every evaluation for each member.
        return (
            select(column)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .where(Skp.pegawai_id == Pegawai.id, Penilaian.periode_id + 0 == periode.id)
            .order_by(Skp.versi.desc())
            .limit(1)
            .correlate(Pegawai)
            .scalar_subquery()
        )

    predikat = of_newest(Penilaian.predikat)
    columns = [
        Pegawai.id,
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        UnitKerja.nama.label("unit"),
        of_newest(Penilaian.id).label("penilaian_id"),
        predikat.label("predikat"),
    ]
    query = (
        select(*([predikat.label("predikat"), func.count()] if counted else columns))
        .select_from(Pegawai)
        .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.path.startswith(opd.path, autoescape=True))
        .where(or_(Pegawai.aktif.is_(True), predikat.is_not(None)))
    )
    clause = scope.visible_pegawai_ids_under(viewer, opd.path)
    if clause is not None:
        query = query.where(clause)
    return query.group_by(predikat) if counted else query


def _member(row: Any) -> Anggota:
    return Anggota(
        pegawai_id=row.id,
        nip=row.nip,
        nama=_nama(row.gelar_depan, row.nama, row.gelar_belakang),
        unit=row.unit,
        predikat=row.predikat,
        penilaian_id=row.penilaian_id if row.predikat else None,
    )


def anggota(
    session: Session,
    viewer: scope.Viewer,
    opd: UnitKerja,
    periode: Periode,
    pegawai_ids: Collection[int] | None = None,
) -> list[Anggota]:
    """The members (``_anggota_query``) by name, or those of them among ``pegawai_ids``.
    One statement."""
    query = _anggota_query(viewer, opd, periode)
    if pegawai_ids is not None:
        query = query.where(Pegawai.id.in_(sorted(pegawai_ids)))
    return [_member(row) for row in session.execute(query.order_by(Pegawai.nama, Pegawai.id))]


def halaman_anggota(
    session: Session,
    viewer: scope.Viewer,
    opd: UnitKerja,
    periode: Periode,
    nomor: int | None,
    total: int | None = None,
) -> Halaman[Anggota]:
    """Page ``nomor`` of the members by name (an OPD may hold tens of thousands), or all of
    them on one page (``nomor`` None: the printed pola distribusi). ``total``: their number
    when known. Two statements, or one."""
    query = _anggota_query(viewer, opd, periode).order_by(Pegawai.nama, Pegawai.id)
    if nomor is None:
        rows = [_member(row) for row in session.execute(query)]
        return Halaman(rows, len(rows), 1, max(1, len(rows)))
    page = page_of(session, query, nomor, entities=False, total=total)
    return replace(page, rows=[_member(row) for row in page.rows])


def predikat_anggota(
    session: Session, viewer: scope.Viewer, opd: UnitKerja, periode: Periode
) -> Counter[str | None]:
    """How many members hold each predikat (None: not rated). One statement: the
    maintained counts of the OPD's units for a viewer who sees all of it (its head, admin
    BKPSDM), else counted live."""
    if scope.sees_every_pegawai_under(viewer, opd.path):
        prefixes = (hitungan.PEGAWAI, hitungan.KURVA, hitungan.KURVA_NONAKTIF)
        groups = hitungan.sums(session, opd, [periode.id], prefixes)
        return hitungan.total(groups).kurva(periode.id)
    query = _anggota_query(viewer, opd, periode, counted=True)
    return Counter(dict(session.execute(query).tuples().all()))


def _each(counts: Counter[str | None]) -> Iterator[str | None]:
    """The predikat of every member, from their counts (for ``distribusi``)."""
    for predikat, count in counts.items():
        yield from itertools.repeat(predikat, count)


def _penetapan(
    session: Session, opd: UnitKerja, periode: Periode
) -> tuple[PredikatOrganisasi | None, Pegawai | None]:
    """The predikat organisasi of the OPD and periode, and who set it."""
    row = session.execute(
        select(PredikatOrganisasi, Pegawai)
        .outerjoin(Pegawai, Pegawai.id == PredikatOrganisasi.ditetapkan_oleh_id)
        .where(
            PredikatOrganisasi.unit_kerja_id == opd.id,
            PredikatOrganisasi.periode_id == periode.id,
        )
    ).one_or_none()
    return (row[0], row[1]) if row else (None, None)


def kalibrasi(
    session: Session,
    viewer: scope.Viewer,
    unit_id: int | None,
    periode_id: int | None,
    nomor: int | None = 1,
) -> Kalibrasi:
    """Everything the calibration page shows, with page ``nomor`` of the members (None:
    all of them), in a constant number of statements."""
    opd = opd_for(session, viewer, unit_id)
    periode = periode_for(session, periode_id)
    penetapan, ditetapkan_oleh = _penetapan(session, opd, periode)
    counts = predikat_anggota(session, viewer, opd, periode)
    riwayat = session.execute(
        select(KurvaJustifikasi)
        .options(joinedload(KurvaJustifikasi.oleh))
        .where(KurvaJustifikasi.unit_kerja_id == opd.id, KurvaJustifikasi.periode_id == periode.id)
        .order_by(KurvaJustifikasi.waktu.desc(), KurvaJustifikasi.id.desc())
    ).scalars()
    return Kalibrasi(
        opd=opd,
        periode=periode,
        penetapan=penetapan,
        ditetapkan_oleh=ditetapkan_oleh,
        anggota=halaman_anggota(session, viewer, opd, periode, nomor, total=sum(counts.values())),
        distribusi=distribusi(penetapan.predikat if penetapan else None, _each(counts)),
        riwayat=list(riwayat),
        predikat_anggota=counts,
    )


@dataclass(frozen=True)
class SejauhIni:
    """The kurva as it stands while a pegawai is being rated: the OPD holding their unit,
    its predikat organisasi for the periode (None: not recorded yet, so no rule applies)
    and the distribution over the OPD's pegawai the rater may see."""

    opd: UnitKerja
    penetapan: PredikatOrganisasi | None
    distribusi: Distribusi


def sejauh_ini(
    session: Session, viewer: scope.Viewer, unit: UnitKerja | None, periode: Periode
) -> SejauhIni | None:
    """The kurva of the OPD holding ``unit`` for the periode, as the calibration page counts
    it (``anggota``, in the viewer's scope): shown beside the rating form, so the pejabat
    penilai sees the predikat given so far against the rule. Two statements; None for a unit
    outside any OPD."""
    if unit is None:
        return None
    row = session.execute(
        select(UnitKerja, PredikatOrganisasi)
        .outerjoin(
            PredikatOrganisasi,
            and_(
                PredikatOrganisasi.unit_kerja_id == UnitKerja.id,
                PredikatOrganisasi.periode_id == periode.id,
            ),
        )
        .where(UnitKerja.path == org.opd_path_of(unit.path))
    ).one_or_none()
    if row is None:
        return None
    opd, penetapan = row
    counts = predikat_anggota(session, viewer, opd, periode)
    return SejauhIni(
        opd=opd,
        penetapan=penetapan,
        distribusi=distribusi(penetapan.predikat if penetapan else None, _each(counts)),
    )


def _known(value: object, labels: Mapping[str, str]) -> bool:
    return isinstance(value, str) and value in labels


def simulasi(
    session: Session,
    viewer: scope.Viewer,
    unit_id: int | None,
    periode_id: int | None,
    predikat_organisasi: str | None,
    perubahan: Mapping[int, str | None],
) -> Distribusi:
    """What the distribution would be if some pegawai had another predikat (None: not
    rated), under the given predikat organisasi. Reads only: nothing is written."""
    if predikat_organisasi is not None and not _known(
        predikat_organisasi, scoring.PREDIKAT_ORGANISASI
    ):
        raise DomainError(
            N_("Choose one of the organisation performance ratings."), field="predikat_organisasi"
        )
    if any(
        value is not None and not _known(value, scoring.PREDIKAT) for value in perubahan.values()
    ):
        raise DomainError(N_("Choose one of the employee performance ratings."), field="perubahan")
    opd = opd_for(session, viewer, unit_id)
    periode = periode_for(session, periode_id)
    changed = anggota(session, viewer, opd, periode, set(perubahan))
    if set(perubahan) != {m.pegawai_id for m in changed}:
        raise NotFound(N_("Employee not found."))
    counts = predikat_anggota(session, viewer, opd, periode)
    for member in changed:
        counts[member.predikat] -= 1
        counts[perubahan[member.pegawai_id]] += 1
    return distribusi(predikat_organisasi, _each(counts))


# --- writes ------------------------------------------------------------------------------


def penetapan_marker(penetapan: PredikatOrganisasi | None) -> str:
    """What a form remembers of the predikat organisasi it was rendered with (the table has
    no version column): when it was set, or "" when it was not yet."""
    return penetapan.ditetapkan_pada.isoformat() if penetapan else ""


# The penetapan is the Wali Kota's; BKPSDM records it (DOMAIN.md, Kurva distribusi).
ONLY_ADMIN = N_(
    "Only admin BKPSDM records the organisation performance rating, as set by the Wali Kota."
)
MAX_NOMOR_PENETAPAN = 100  # the column's length


def _required_id(value: Any, field: str) -> int:
    found = checked_id(value, field)
    if found is None:
        raise DomainError(N_("This field is required."), field=field)
    return found


def tetapkan(
    session: Session,
    viewer: scope.Viewer,
    unit_id: Any,
    periode_id: Any,
    predikat: Any,
    nomor_penetapan: Any,
    expected: str | None = None,
) -> PredikatOrganisasi:
    """Record (or change) the predikat kinerja organisasi of an OPD for a periode, with the
    number of its penetapan: admin BKPSDM only, one row per OPD and periode. The values are
    as a form or a JSON body gives them, judged here.

    ``expected`` is the penetapan_marker the writer saw: "" (none yet) refuses a second row
    for the OPD and periode, a marker someone else's change in between; None writes as is.
    """
    if not viewer.is_admin:
        raise NotYourRole(ONLY_ADMIN)
    unit = session.get(UnitKerja, _required_id(unit_id, "unit_kerja_id"))
    if unit is None:
        raise NotFound(N_("Work unit not found."))
    if not scope.is_opd_path(unit.path):
        raise DomainError(
            N_("Only an OPD has an organisation performance rating."), field="unit_kerja_id"
        )
    periode = periode_for(session, _required_id(periode_id, "periode_id"))
    if not _known(predikat, scoring.PREDIKAT_ORGANISASI):
        raise DomainError(
            N_("Choose one of the organisation performance ratings."), field="predikat"
        )
    nomor = checked_text(
        nomor_penetapan,
        "nomor_penetapan",
        required=True,
        maximum=MAX_NOMOR_PENETAPAN,
    )
    penetapan, _ = _penetapan(session, unit, periode)
    if expected == "" and penetapan is not None:
        raise TransitionRefused(
            N_("This OPD already has an organisation performance rating for the period."),
            field="periode_id",
        )
    if expected is not None and expected != penetapan_marker(penetapan):
        raise stale()
    if penetapan is None:
        penetapan = PredikatOrganisasi(unit_kerja_id=unit.id, periode_id=periode.id)
        session.add(penetapan)
    elif (penetapan.predikat, penetapan.nomor_penetapan) == (predikat, nomor):
        return penetapan
    penetapan.predikat = predikat
    penetapan.nomor_penetapan = nomor
    penetapan.ditetapkan_oleh_id = viewer.pegawai_id
    penetapan.ditetapkan_pada = _now()
    try:
        session.flush()
    except IntegrityError:
        # Set by someone else between our read and our insert (one row per OPD and periode).
        raise stale() from None
    return penetapan


def _penetapan_by_id(
    session: Session, viewer: scope.Viewer, penetapan_id: int
) -> PredikatOrganisasi:
    if not viewer.is_admin:
        raise NotYourRole(ONLY_ADMIN)
    return scope.get(
        session,
        PredikatOrganisasi,
        penetapan_id,
        viewer,
        N_("Organisation performance rating not found."),
    )


def ubah_penetapan(
    session: Session, viewer: scope.Viewer, penetapan_id: int, changes: Mapping[str, Any]
) -> PredikatOrganisasi:
    """Change the predikat or the number of a recorded penetapan (the fields ``changes``
    names; the OPD and periode stay): admin BKPSDM only, by the rules of ``tetapkan``."""
    penetapan = _penetapan_by_id(session, viewer, penetapan_id)
    return tetapkan(
        session,
        viewer,
        penetapan.unit_kerja_id,
        penetapan.periode_id,
        changes.get("predikat", penetapan.predikat),
        changes.get("nomor_penetapan", penetapan.nomor_penetapan),
    )


def hapus_penetapan(session: Session, viewer: scope.Viewer, penetapan_id: int) -> None:
    """Remove a penetapan recorded in error: admin BKPSDM only. The kurva of the OPD and
    periode then has no rule until it is recorded again."""
    session.delete(_penetapan_by_id(session, viewer, penetapan_id))
    session.flush()


def justifikasi(
    session: Session,
    viewer: scope.Viewer,
    unit_id: int | None,
    periode_id: int | None,
    alasan: str | None,
) -> KurvaJustifikasi:
    """Record why the OPD's distribution breaks the kurva rule. The breaches are computed
    here from the stored ratings, never taken from the client."""
    text = checked_text(alasan, "alasan", required=True)
    current = kalibrasi(session, viewer, unit_id, periode_id)
    if current.penetapan is None:
        raise DomainError(N_("Set the organisation performance rating first."))
    if not current.distribusi.breaches:
        raise DomainError(N_("The distribution follows the curve; no justification is needed."))
    entry = KurvaJustifikasi(
        unit_kerja_id=current.opd.id,
        periode_id=current.periode.id,
        pelanggaran=[
            {
                "key": line.key,
                "message": line.message,
                "predikat_organisasi": current.predikat_organisasi,
                "count": line.count,
                "total": line.total,
            }
            for line in current.distribusi.breaches
        ],
        alasan=text,
        oleh_id=viewer.pegawai_id,
        waktu=_now(),
    )
    session.add(entry)
    return entry


# --- the basis of the OPD head's rating hasil kerja ---------------------------------------


@dataclass(frozen=True)
class DasarRating:
    """The predikat organisasi of the OPD a rated pegawai heads, for the periode of the
    evaluation, and the rating hasil kerja it gives them (scoring.RATING_HASIL_KERJA_PIMPINAN)."""

    opd: UnitKerja
    penetapan: PredikatOrganisasi

    @property
    def rating_hasil_kerja(self) -> str:
        return scoring.rating_hasil_kerja_pimpinan(self.penetapan.predikat)


def dasar_rating(session: Session, pegawai_id: int, periode_id: int) -> DasarRating | None:
    """The basis of the rating hasil kerja of ``pegawai_id`` for the periode when they head an
    OPD whose predikat organisasi is recorded for it; None otherwise. Shown with the
    evaluation it is the basis of: whoever may read the evaluation reads its basis."""
    rows = session.execute(
        select(UnitKerja, PredikatOrganisasi)
        .join(PredikatOrganisasi, PredikatOrganisasi.unit_kerja_id == UnitKerja.id)
        .where(UnitKerja.kepala_id == pegawai_id, PredikatOrganisasi.periode_id == periode_id)
        .order_by(UnitKerja.id)
    ).all()
    return next(
        (DasarRating(unit, penetapan) for unit, penetapan in rows if scope.is_opd_path(unit.path)),
        None,
    )


def alasan_menyimpang(
    session: Session, penilaian: Penilaian, alasan_rating: str | None
) -> str | None:
    """The written reason an OPD head's rating hasil kerja needs when it departs from the
    rating their OPD's predikat organisasi gives (SE MenPANRB 3/2023); refused on the field
    ``alasan_rating`` when missing. None when the rating does not depart: there is nothing
    to explain."""
    text = checked_text(alasan_rating, "alasan_rating")
    dasar = dasar_rating(session, penilaian.skp.pegawai_id, penilaian.periode_id)
    if dasar is None or penilaian.rating_hasil_kerja == dasar.rating_hasil_kerja:
        return None
    if text is None:
        raise DomainError(
            N_(
                "The organisation performance rating %(predikat)s gives the work result "
                "rating %(rating)s: write why this rating departs from it."
            ),
            field="alasan_rating",
            predikat=scoring.PREDIKAT_ORGANISASI[dasar.penetapan.predikat],
            rating=scoring.RATINGS[dasar.rating_hasil_kerja],
        )
    return text
