"""The reports BKPSDM sends to the Sekda (CONTRACT.md, Reports): the roster, the SKP status,
the predikat per periode with the kurva distribusi per OPD, the kepatuhan ranking per OPD, and
the annual results in the layout SIASN takes (app.reports.siasn).

Every report is ONE statement over the pegawai the viewer may see (``scope.visible_pegawai_ids``)
in the chosen unit's subtree (``UnitKerja.path`` prefix), read with ``yield_per`` (a server-side
cursor on PostgreSQL) straight into a constant-memory workbook (app.reports.workbook). The
statement selects plain columns, never ORM objects, so nothing is lazy-loaded per row and the
number of statements does not depend on the number of rows; memory stays flat
(ARCHITECTURE.md rule 7). The few other statements (the viewer, the periode, the unit, the OPD
names) are the same for ten rows or a hundred thousand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import repeat
from typing import IO, Any
from zoneinfo import ZoneInfo

from flask_babel import get_timezone, gettext
from sqlalchemy import DateTime, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain import enums, scoring
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.formatting import tanggal, waktu
from app.models.master import PATH_SEPARATOR, Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian, PredikatOrganisasi
from app.models.skp import Skp, SkpRiwayat
from app.reports import siasn
from app.reports.workbook import (
    DATE,
    NUMBER,
    PERCENT,
    Column,
    Formats,
    Group,
    Heading,
    Table,
    open_workbook,
)
from app.security import scope
from app.services import monitoring
from app.services.errors import NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# Rows fetched per round trip; the cursor streams the rest.
BATCH = 1000

BELUM_DIBUAT = monitoring.BELUM_DIBUAT
SKP_STATUSES = monitoring.STATUSES

# An id larger than an SQL integer can hold names no row.
_MAX_ID = 2**31 - 1


class InvalidParameter(DomainError):
    """A query-string parameter that is not what the report takes (→ 400)."""

    status = 400


# --- what the reader asked for -------------------------------------------------------------


@dataclass(frozen=True)
class Pilihan:
    """One report request, checked: the periode (any jenis) and the annual periode of its year
    (the SKP's), the unit whose subtree is reported (None: everything in scope), the viewer,
    and the moment of printing."""

    jenis: str
    periode: Periode
    tahunan: Periode
    unit: UnitKerja | None
    viewer: scope.Viewer
    printed_by: str
    now: dt.datetime  # UTC, like every stored datetime
    tz: dt.tzinfo

    @property
    def today(self) -> dt.date:
        return _local(self.now, self.tz).date()


def _id(value: str | None, message: str, field: str) -> int | None:
    """A positive integer id from the query string; empty means "not chosen"."""
    if value is None or not value.strip():
        return None
    if not re.fullmatch(r"[0-9]{1,18}", value.strip()):
        raise InvalidParameter(message, field=field)
    return int(value)


def choose_periode(session: Session, periode_id: int | None) -> tuple[Periode, Periode]:
    """(the periode, the annual periode of its year); without an id the active year, else the
    newest one."""
    if periode_id is None:
        annual = (
            session.execute(
                select(Periode)
                .where(Periode.jenis == "tahunan")
                .order_by(Periode.aktif.desc(), Periode.tahun.desc())
            )
            .scalars()
            .first()
        )
        if annual is None:
            raise NotFound(N_("There is no annual period yet; ask BKPSDM."))
        return annual, annual
    periode = session.get(Periode, periode_id) if periode_id <= _MAX_ID else None
    if periode is None:
        raise NotFound(N_("Period not found."))
    if periode.jenis == "tahunan":
        return periode, periode
    annual = session.execute(
        select(Periode).where(Periode.tahun == periode.tahun, Periode.jenis == "tahunan")
    ).scalar()
    if annual is None:
        raise NotFound(N_("Period not found."))
    return periode, annual


def choose_unit(session: Session, viewer: scope.Viewer, unit_id: int | None) -> UnitKerja | None:
    """The unit to report on, if the viewer may drill into it (the same rule as the
    monitoring page); any other unit answers 404."""
    if unit_id is None:
        return None
    unit = monitoring.visible_unit(session, viewer, unit_id) if unit_id <= _MAX_ID else None
    if unit is None:
        raise NotFound(N_("Work unit not found."))
    return unit


def _printed_by(session: Session, viewer: scope.Viewer, username: str) -> str:
    pegawai = session.get(Pegawai, viewer.pegawai_id) if viewer.pegawai_id else None
    return f"{pegawai.nama_lengkap} ({pegawai.nip})" if pegawai is not None else username


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def pilihan(
    session: Session,
    viewer: scope.Viewer,
    jenis: str,
    args: Mapping[str, str],
    username: str,
) -> Pilihan:
    """Check a request: an unknown report or a periode/unit that does not exist or lies
    outside the viewer's scope is NotFound (404), an id that is not a number InvalidParameter
    (400)."""
    if jenis not in REPORTS:
        raise NotFound(N_("There is no such report."))
    periode_id = _id(
        args.get("periode_id"), N_("The period must be given by its number (id)."), "periode_id"
    )
    unit_id = _id(
        args.get("unit_kerja_id"),
        N_("The work unit must be given by its number (id)."),
        "unit_kerja_id",
    )
    periode, tahunan = choose_periode(session, periode_id)
    unit = choose_unit(session, viewer, unit_id)
    return Pilihan(
        jenis=jenis,
        periode=periode,
        tahunan=tahunan,
        unit=unit,
        viewer=viewer,
        printed_by=_printed_by(session, viewer, username),
        now=_now(),
        tz=ZoneInfo(str(get_timezone())),
    )


# --- shared pieces of the statements -------------------------------------------------------


def _local(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)


def nama_lengkap(depan: str | None, nama: str | None, belakang: str | None) -> str | None:
    """A name with its academic titles, as Pegawai.nama_lengkap writes it."""
    if nama is None:
        return None
    return f"{depan + ' ' if depan else ''}{nama}{', ' + belakang if belakang else ''}"


def pangkat_label(kode: str | None, nama: str | None, jenis_asn: str | None) -> str | None:
    """ "Penata Muda (III/a)" for a PNS, "Golongan IX" for a PPPK."""
    if kode is None:
        return None
    return f"{nama} ({kode})" if jenis_asn == "pns" else nama


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _slashes(column: Any) -> Any:
    return func.length(column) - func.length(func.replace(column, "/", ""))


def _pegawai(columns: list[Any], p: Pilihan) -> Select:
    """Pegawai in the viewer's scope and the chosen unit's subtree, with their unit."""
    query = (
        select(*columns).select_from(Pegawai).join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
    )
    clause = scope.visible_pegawai_ids(p.viewer)
    if clause is not None:
        query = query.where(clause)
    if p.unit is not None:
        query = query.where(UnitKerja.path.startswith(p.unit.path, autoescape=True))
    return query


def _with_newest_skp(query: Select, tahunan: Periode) -> Select:
    """Outer-join each pegawai's newest SKP version of the year (NULL: not yet created)."""
    newest = (
        select(Skp.pegawai_id, func.max(Skp.versi).label("versi"))
        .where(Skp.periode_id == tahunan.id)
        .group_by(Skp.pegawai_id)
        .subquery("newest")
    )
    return query.outerjoin(newest, newest.c.pegawai_id == Pegawai.id).outerjoin(
        Skp,
        and_(
            Skp.pegawai_id == Pegawai.id,
            Skp.periode_id == tahunan.id,
            Skp.versi == newest.c.versi,
        ),
    )


def _stream(session: Session, query: Select) -> Iterator[Any]:
    yield from session.execute(query.execution_options(yield_per=BATCH))


def periods_of_year(session: Session, tahun: int) -> list[Periode]:
    """The evaluation periods of a year in calendar order, the annual one last."""
    periods = session.execute(
        select(Periode).where(Periode.tahun == tahun).order_by(Periode.tanggal_mulai, Periode.id)
    ).scalars()
    return sorted(periods, key=lambda periode: periode.jenis == "tahunan")


def periode_label(periode: Periode) -> str:
    return gettext(enums.label(enums.JENIS_PERIODE, periode.jenis))


def _heading(p: Pilihan, report: str, periode: Periode | str | None = None) -> Heading:
    """The title block; ``periode`` a periode (default: the chosen one) or a text."""
    periode = periode or p.periode
    if isinstance(periode, Periode):
        periode = (
            f"{periode} ({tanggal(periode.tanggal_mulai)} – {tanggal(periode.tanggal_selesai)})"
        )
    return Heading(
        report=report,
        periode=periode,
        unit=p.unit.nama_lengkap if p.unit else gettext("All units in scope"),
        printed=gettext("Printed on %(when)s by %(who)s", when=waktu(p.now), who=p.printed_by),
    )


def translated(labels: Mapping[str, str]) -> dict[str | None, str | None]:
    """Labels of stored values in the reader's language, looked up once per export rather
    than once per cell (gettext is the slowest step of a row); unknown values pass as
    they are (``.get(value, value)``)."""
    return {key: gettext(label) for key, label in labels.items()}


# --- pegawai: the roster -------------------------------------------------------------------

PEGAWAI_COLUMNS = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Rank/grade"), 26),
    Column(N_("Position"), 34),
    Column(N_("Work unit"), 60),
    Column(N_("Direct supervisor"), 34),
    Column(N_("NIP of the direct supervisor"), 21),
    Column(N_("Civil servant type"), 14),
    Column(N_("Status"), 11),
)


def pegawai_query(p: Pilihan) -> Select:
    """Every pegawai in scope, active or not, ordered by unit and name."""
    atasan = aliased(Pegawai, name="atasan")
    columns = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Pangkat.kode.label("pangkat_kode"),
        Pangkat.nama.label("pangkat_nama"),
        Pangkat.jenis_asn.label("pangkat_jenis"),
        Jabatan.nama.label("jabatan"),
        UnitKerja.nama_lengkap.label("unit"),
        atasan.gelar_depan.label("atasan_gelar_depan"),
        atasan.nama.label("atasan_nama"),
        atasan.gelar_belakang.label("atasan_gelar_belakang"),
        atasan.nip.label("atasan_nip"),
        Pegawai.jenis_asn,
        Pegawai.aktif,
    ]
    return (
        _pegawai(columns, p)
        .outerjoin(Pangkat, Pegawai.pangkat_id == Pangkat.id)
        .outerjoin(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .outerjoin(atasan, atasan.id == Pegawai.atasan_id)
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def pegawai_rows(session: Session, p: Pilihan) -> Iterator[tuple[Any, ...]]:
    """The roster's rows, numbered, as the sheet shows them."""
    active, inactive = gettext("Active"), gettext("Inactive")
    jenis_asn = translated(enums.JENIS_ASN)
    for number, row in enumerate(_stream(session, pegawai_query(p)), start=1):
        yield (
            number,
            row.nip,
            nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang),
            pangkat_label(row.pangkat_kode, row.pangkat_nama, row.pangkat_jenis),
            row.jabatan,
            row.unit,
            nama_lengkap(row.atasan_gelar_depan, row.atasan_nama, row.atasan_gelar_belakang),
            row.atasan_nip,
            jenis_asn.get(row.jenis_asn, row.jenis_asn),
            active if row.aktif else inactive,
        )


def write_pegawai(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    book = open_workbook(target)
    # The roster is the state of today, whatever the year chosen.
    heading = _heading(
        p, gettext("Employee Roster"), gettext("as of %(date)s", date=tanggal(p.today))
    )
    table = Table(book, Formats(book), gettext("Employees"), heading, PEGAWAI_COLUMNS)
    for values in pegawai_rows(session, p):
        table.add(values)
    count = table.finish()
    book.close()
    return count


# --- status_skp: where each SKP of the year stands ------------------------------------------

STATUS_COLUMNS = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Position"), 30),
    Column(N_("Work unit"), 50),
    Column(N_("SKP status"), 16),
    Column(N_("Version"), 8, NUMBER),
    Column(N_("Submitted on"), 18, DATE),
    Column(N_("Approved on"), 18, DATE),
    Column(N_("Waiting on"), 34),
    Column(N_("NIP of the appraising official"), 21),
    Column(N_("Since"), 18, DATE),
    Column(N_("Days waiting"), 10, NUMBER),
)


def status_query(p: Pilihan) -> Select:
    """Active pegawai with their newest SKP of the year, since when it is where it is and
    who it waits on (as on the monitoring page)."""
    penilai = aliased(Pegawai, name="penilai")
    last_transition = (
        select(SkpRiwayat.skp_id, func.max(SkpRiwayat.waktu).label("waktu"))
        .group_by(SkpRiwayat.skp_id)
        .subquery("last_transition")
    )
    year_start = dt.datetime.combine(p.tahunan.tanggal_mulai, dt.time(), tzinfo=p.tz)
    sejak = case(
        (Skp.status == "diajukan", Skp.diajukan_pada),
        (Skp.status == "disetujui", Skp.disetujui_pada),
        else_=func.coalesce(
            last_transition.c.waktu,
            literal(year_start.astimezone(dt.UTC).replace(tzinfo=None), DateTime),
        ),
    )
    columns = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Jabatan.nama.label("jabatan"),
        UnitKerja.nama_lengkap.label("unit"),
        Skp.status,
        Skp.versi,
        Skp.diajukan_pada,
        Skp.disetujui_pada,
        sejak.label("sejak"),
        penilai.gelar_depan.label("penilai_gelar_depan"),
        penilai.nama.label("penilai_nama"),
        penilai.gelar_belakang.label("penilai_gelar_belakang"),
        penilai.nip.label("penilai_nip"),
    ]
    query = _with_newest_skp(_pegawai(columns, p), p.tahunan)
    return (
        query.outerjoin(Jabatan, Pegawai.jabatan_id == Jabatan.id)
        .outerjoin(last_transition, last_transition.c.skp_id == Skp.id)
        .outerjoin(
            penilai,
            penilai.id
            == func.coalesce(Skp.penilai_id, Pegawai.pejabat_penilai_id, Pegawai.atasan_id),
        )
        .where(Pegawai.aktif.is_(True))
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def status_rows(session: Session, p: Pilihan) -> Iterator[tuple[Any, ...]]:
    """The SKP status rows, numbered; dates and days in the local calendar."""
    today = p.today
    own_action = gettext("The employee")
    statuses = translated(SKP_STATUSES)
    for number, row in enumerate(_stream(session, status_query(p)), start=1):
        status = row.status or BELUM_DIBUAT
        waiting = penilai_nip = hari = None
        if status == "diajukan":
            waiting = nama_lengkap(
                row.penilai_gelar_depan, row.penilai_nama, row.penilai_gelar_belakang
            )
            penilai_nip = row.penilai_nip
        elif status != "disetujui":
            waiting = own_action
        sejak = _local(row.sejak, p.tz).date() if row.sejak is not None else None
        if status != "disetujui" and sejak is not None:
            hari = max(0, (today - sejak).days)
        yield (
            number,
            row.nip,
            nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang),
            row.jabatan,
            row.unit,
            statuses[status],
            row.versi,
            _local(row.diajukan_pada, p.tz).date() if row.diajukan_pada else None,
            _local(row.disetujui_pada, p.tz).date() if row.disetujui_pada else None,
            waiting,
            penilai_nip,
            sejak,
            hari,
        )


def write_status_skp(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    book = open_workbook(target)
    table = Table(
        book,
        Formats(book),
        gettext("SKP status"),
        _heading(p, gettext("SKP Status per Employee"), p.tahunan),
        STATUS_COLUMNS,
    )
    for values in status_rows(session, p):
        table.add(values)
    count = table.finish()
    book.close()
    return count


# --- predikat: ratings per periode, and the kurva per OPD -----------------------------------

_PREDIKAT_DETAIL = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("NIP"), 21),
    Column(N_("Name"), 34),
    Column(N_("Position"), 30),
    Column(N_("Work unit"), 50),
)
_PER_PERIODE = (
    Column(N_("Work result rating"), 14),
    Column(N_("Work behaviour rating"), 14),
    Column(N_("Rating"), 16),
)


def predikat_query(p: Pilihan, periods: list[Periode]) -> Select:
    """Pegawai in scope (active, or with an SKP for the year) with the ratings and predikat
    of their newest SKP for each periode of the year: one outer join per periode on the
    (skp, periode) unique key."""
    columns: list[Any] = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Jabatan.nama.label("jabatan"),
        UnitKerja.nama_lengkap.label("unit"),
        UnitKerja.path,
    ]
    joined = []
    for index, periode in enumerate(periods):
        penilaian = aliased(Penilaian, name=f"p{index}")
        joined.append((penilaian, periode))
        columns += [
            penilaian.rating_hasil_kerja.label(f"hasil_{index}"),
            penilaian.rating_perilaku_kerja.label(f"perilaku_{index}"),
            penilaian.predikat.label(f"predikat_{index}"),
        ]
    query = _with_newest_skp(_pegawai(columns, p), p.tahunan).outerjoin(
        Jabatan, Pegawai.jabatan_id == Jabatan.id
    )
    for penilaian, periode in joined:
        query = query.outerjoin(
            penilaian, and_(penilaian.skp_id == Skp.id, penilaian.periode_id == periode.id)
        )
    return query.where(or_(Pegawai.aktif.is_(True), Skp.id.is_not(None))).order_by(
        UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id
    )


def _opd_of(path: str) -> int | None:
    ids = _path_ids(path)
    return ids[1] if len(ids) > 1 else None


SUMMARY_FIXED = (
    Column(N_("No."), 6, NUMBER),
    Column(N_("OPD"), 40),
    Column(N_("Organisation performance rating"), 18),
    Column(N_("Employees"), 10, NUMBER),
    Column(N_("Not rated"), 10, NUMBER),
)


def _summary_columns() -> tuple[list[Column], list[Group]]:
    columns = list(SUMMARY_FIXED)
    groups = []
    for label in scoring.PREDIKAT.values():
        first = len(columns)
        columns += [Column(N_("Count"), 8, NUMBER), Column(N_("%"), 8, PERCENT)]
        groups.append(Group(gettext(label), first, first + 1))
    columns.append(Column(N_("Distribution curve (SE MenPANRB 3/2023)"), 60))
    return columns, groups


def _kurva_text(predikat_organisasi: str | None, counts: Counter) -> str:
    rated = sum(counts[key] for key in scoring.PREDIKAT)
    if predikat_organisasi is None:
        return gettext("Organisation performance rating not set")
    if not rated:
        return "—"
    predikats = (value for key in scoring.PREDIKAT for value in repeat(key, counts[key]))
    breaches = scoring.kurva_breaches(predikat_organisasi, predikats)
    if not breaches:
        return gettext("Met")
    return "; ".join(
        f"{gettext('Breached')}: {gettext(breach.rule.message)}" for breach in breaches
    )


def predikat_rows(
    session: Session, p: Pilihan, periods: list[Periode]
) -> Iterator[tuple[list[Any], int | None, str | None]]:
    """(the detail row, the pegawai's OPD id, their predikat for the chosen periode)."""
    chosen = next(i for i, periode in enumerate(periods) if periode.id == p.periode.id)
    ratings, predikats = translated(scoring.RATINGS), translated(scoring.PREDIKAT)
    for number, row in enumerate(_stream(session, predikat_query(p, periods)), start=1):
        values: list[Any] = [
            number,
            row.nip,
            nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang),
            row.jabatan,
            row.unit,
        ]
        # The pegawai's columns, then hasil, perilaku and predikat of each periode.
        per_periode = row[len(row) - 3 * len(periods) :]
        for hasil, perilaku, predikat in zip(*[iter(per_periode)] * 3, strict=True):
            values += [
                ratings.get(hasil, hasil),
                ratings.get(perilaku, perilaku),
                predikats.get(predikat, predikat),
            ]
        yield values, _opd_of(row.path), per_periode[3 * chosen + 2]


def write_predikat(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    """The detail sheet (every periode of the year), then the summary per OPD for the chosen
    periode against the kurva distribusi of its predikat organisasi."""
    periods = periods_of_year(session, p.tahunan.tahun)
    opds = dict(
        session.execute(select(UnitKerja.id, UnitKerja.nama).where(_slashes(UnitKerja.path) == 3))
        .tuples()
        .all()
    )
    predikat_organisasi = dict(
        session.execute(
            select(PredikatOrganisasi.unit_kerja_id, PredikatOrganisasi.predikat).where(
                PredikatOrganisasi.periode_id == p.periode.id
            )
        )
        .tuples()
        .all()
    )

    book = open_workbook(target)
    formats = Formats(book)
    columns = list(_PREDIKAT_DETAIL)
    groups = []
    for periode in periods:
        first = len(columns)
        columns += _PER_PERIODE
        groups.append(Group(periode_label(periode), first, first + len(_PER_PERIODE) - 1))
    detail = Table(
        book,
        formats,
        gettext("Ratings"),
        _heading(p, gettext("Employee Performance Ratings"), p.tahunan),
        columns,
        groups,
    )
    per_opd: dict[int | None, Counter] = defaultdict(Counter)
    for values, opd, predikat in predikat_rows(session, p, periods):
        detail.add(values)
        per_opd[opd][predikat] += 1
    count = detail.finish()

    summary_columns, summary_groups = _summary_columns()
    summary = Table(
        book,
        formats,
        gettext("Summary per OPD"),
        _heading(p, gettext("Rating Distribution per OPD")),
        summary_columns,
        summary_groups,
    )
    ordered = sorted(per_opd, key=lambda opd: (opd is None, opds.get(opd, ""), opd or 0))
    total: Counter = Counter()
    organisasi_labels = translated(scoring.PREDIKAT_ORGANISASI)
    for number, opd in enumerate(ordered, start=1):
        counts = per_opd[opd]
        total.update(counts)
        organisasi = predikat_organisasi.get(opd) if opd is not None else None
        nama = opds.get(opd) if opd is not None else gettext("Outside any OPD")
        summary.add(
            [number, nama, organisasi_labels.get(organisasi, organisasi)]
            + _distribution(counts)
            + [_kurva_text(organisasi, counts) if opd is not None else None]
        )
    summary.finish([None, gettext("Total"), None] + _distribution(total) + [None])
    book.close()
    return count


def _distribution(counts: Counter) -> list[Any]:
    """Listed, not rated, then count and share of the rated for every predikat."""
    rated = sum(counts[key] for key in scoring.PREDIKAT)
    values: list[Any] = [sum(counts.values()), sum(counts.values()) - rated]
    for key in scoring.PREDIKAT:
        values += [counts[key], counts[key] / rated if rated else None]
    return values


# --- kepatuhan: how far each OPD is, ranked -----------------------------------------------

KEPATUHAN_COLUMNS = (
    Column(N_("Ranking"), 9, NUMBER),
    Column(N_("Work unit"), 45),
    Column(N_("Active employees"), 11, NUMBER),
    Column(N_("SKP approved"), 11, NUMBER),
    Column(N_("SKP approved (%)"), 11, PERCENT),
    Column(N_("SKP not yet approved"), 11, NUMBER),
    Column(N_("Evaluations due"), 11, NUMBER),
    Column(N_("Evaluations processed"), 11, NUMBER),
    Column(N_("Evaluations processed (%)"), 11, PERCENT),
    Column(N_("Evaluations overdue"), 11, NUMBER),
    Column(N_("Compliance index"), 11, PERCENT),
)


@dataclass
class Kepatuhan:
    """The counts of one OPD (or sub-unit) and the shares they make."""

    nama: str
    pegawai: int = 0
    disetujui: int = 0
    jatuh_tempo: int = 0  # evaluations of ended periods, of the approved SKPs
    diproses: int = 0  # of which no longer "belum dinilai"

    def add(self, other: Kepatuhan) -> None:
        self.pegawai += other.pegawai
        self.disetujui += other.disetujui
        self.jatuh_tempo += other.jatuh_tempo
        self.diproses += other.diproses

    @property
    def skp_share(self) -> float | None:
        return self.disetujui / self.pegawai if self.pegawai else None

    @property
    def penilaian_share(self) -> float | None:
        return self.diproses / self.jatuh_tempo if self.jatuh_tempo else None

    @property
    def index(self) -> float | None:
        """The mean of both shares; the SKP share alone while no evaluation is due yet."""
        shares = [s for s in (self.skp_share, self.penilaian_share) if s is not None]
        return sum(shares) / len(shares) if shares else None

    def values(self) -> list[Any]:
        return [
            self.nama,
            self.pegawai,
            self.disetujui,
            self.skp_share,
            self.pegawai - self.disetujui,
            self.jatuh_tempo,
            self.diproses,
            self.penilaian_share,
            self.jatuh_tempo - self.diproses,
            self.index,
        ]


def kepatuhan_query(p: Pilihan, due: list[int]) -> Select:
    """Per unit path: active pegawai, approved SKPs, and the evaluations of the ended
    periods ``due`` of those SKPs with how many are past "belum dinilai"."""
    evaluations = (
        select(
            Penilaian.skp_id,
            func.count().label("due"),
            func.sum(case((Penilaian.status != "belum_dinilai", 1), else_=0)).label("done"),
        )
        .where(Penilaian.periode_id.in_(due))
        .group_by(Penilaian.skp_id)
        .subquery("evaluations")
    )
    columns = [
        UnitKerja.path,
        func.count(Pegawai.id).label("pegawai"),
        func.sum(case((Skp.status == "disetujui", 1), else_=0)).label("disetujui"),
        func.sum(func.coalesce(evaluations.c.due, 0)).label("due"),
        func.sum(func.coalesce(evaluations.c.done, 0)).label("done"),
    ]
    return (
        _with_newest_skp(_pegawai(columns, p), p.tahunan)
        .outerjoin(evaluations, evaluations.c.skp_id == Skp.id)
        .where(Pegawai.aktif.is_(True))
        .group_by(UnitKerja.path)
    )


def _ranked(rows: list[Kepatuhan]) -> list[tuple[int, Kepatuhan]]:
    """Best first by the compliance index, then the SKP share; equal shares share a rank."""

    def key(row: Kepatuhan) -> tuple[float, float]:
        return (round(row.index or 0, 4), round(row.skp_share or 0, 4))

    ordered = sorted(rows, key=lambda row: (tuple(-k for k in key(row)), row.nama))
    ranked, rank = [], 0
    for position, row in enumerate(ordered, start=1):
        if not ranked or key(ranked[-1][1]) != key(row):
            rank = position
        ranked.append((rank, row))
    return ranked


def write_kepatuhan(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    """One row per OPD (or per sub-unit of the chosen unit), ranked, and their total."""
    today = p.today
    due = [
        periode.id
        for periode in periods_of_year(session, p.tahunan.tahun)
        if periode.tanggal_selesai < today
    ]
    if p.unit is None:
        level = 1
        groups_query = select(UnitKerja.id, UnitKerja.nama).where(_slashes(UnitKerja.path) == 3)
        direct = Kepatuhan(gettext("Outside any OPD"))
    else:
        level = len(_path_ids(p.unit.path))
        groups_query = select(UnitKerja.id, UnitKerja.nama).where(UnitKerja.parent_id == p.unit.id)
        direct = Kepatuhan(gettext("%(unit)s (directly)", unit=p.unit.nama))
    groups = {unit_id: Kepatuhan(nama) for unit_id, nama in session.execute(groups_query)}
    for row in _stream(session, kepatuhan_query(p, due)):
        ids = _path_ids(row.path)
        target_row = groups.get(ids[level]) if len(ids) > level else None
        (target_row or direct).add(
            # int(): PostgreSQL sums integers as numeric (Decimal).
            Kepatuhan("", *(int(value or 0) for value in row[1:]))
        )
    rows = [row for row in groups.values() if row.pegawai]
    if direct.pegawai:
        rows.append(direct)

    book = open_workbook(target)
    table = Table(
        book,
        Formats(book),
        gettext("Compliance"),
        _heading(p, gettext("Performance Management Compliance per OPD"), p.tahunan),
        KEPATUHAN_COLUMNS,
        [Group("SKP", 2, 5), Group(gettext("Evaluations"), 6, 9)],
    )
    total = Kepatuhan(gettext("Total"))
    for rank, row in _ranked(rows):
        total.add(row)
        table.add([rank, *row.values()])
    count = table.finish([None, *total.values()])
    book.close()
    return count


# --- siasn: the annual results in SIASN's layout ----------------------------------------------


def siasn_query(p: Pilihan) -> Select:
    """Pegawai in scope whose annual evaluation of the newest SKP is settled (accepted or
    final), with the evaluator's NIP, name, position, unit and golongan."""
    penilai = aliased(Pegawai, name="penilai")
    penilai_jabatan = aliased(Jabatan, name="penilai_jabatan")
    penilai_unit = aliased(UnitKerja, name="penilai_unit")
    penilai_pangkat = aliased(Pangkat, name="penilai_pangkat")
    columns = [
        Pegawai.nip,
        Pegawai.gelar_depan,
        Pegawai.nama,
        Pegawai.gelar_belakang,
        Penilaian.rating_hasil_kerja,
        Penilaian.rating_perilaku_kerja,
        Penilaian.predikat,
        penilai.nip.label("penilai_nip"),
        penilai.gelar_depan.label("penilai_gelar_depan"),
        penilai.nama.label("penilai_nama"),
        penilai.gelar_belakang.label("penilai_gelar_belakang"),
        penilai_jabatan.nama.label("penilai_jabatan"),
        penilai_unit.nama.label("penilai_unit"),
        penilai_pangkat.kode.label("penilai_golongan"),
    ]
    return (
        _with_newest_skp(_pegawai(columns, p), p.tahunan)
        .join(
            Penilaian,
            and_(Penilaian.skp_id == Skp.id, Penilaian.periode_id == p.tahunan.id),
        )
        .outerjoin(penilai, penilai.id == Penilaian.penilai_id)
        .outerjoin(penilai_jabatan, penilai_jabatan.id == penilai.jabatan_id)
        .outerjoin(penilai_unit, penilai_unit.id == penilai.unit_kerja_id)
        .outerjoin(penilai_pangkat, penilai_pangkat.id == penilai.pangkat_id)
        .where(Penilaian.status.in_(siasn.SETTLED), Penilaian.predikat.is_not(None))
        .order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)
    )


def _siasn_rows(session: Session, p: Pilihan) -> Iterator[siasn.Hasil]:
    for row in _stream(session, siasn_query(p)):
        yield siasn.Hasil(
            nip=row.nip,
            nama=nama_lengkap(row.gelar_depan, row.nama, row.gelar_belakang) or "",
            tahun=p.tahunan.tahun,
            rating_hasil_kerja=row.rating_hasil_kerja,
            rating_perilaku_kerja=row.rating_perilaku_kerja,
            predikat=row.predikat,
            penilai_nip=row.penilai_nip,
            penilai_nama=nama_lengkap(
                row.penilai_gelar_depan, row.penilai_nama, row.penilai_gelar_belakang
            ),
            penilai_jabatan=row.penilai_jabatan,
            penilai_unit=row.penilai_unit,
            penilai_golongan=row.penilai_golongan,
        )


def write_siasn(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    heading = _heading(p, gettext("Annual Performance Results for SIASN"), p.tahunan)
    return siasn.write_xlsx(target, heading, _siasn_rows(session, p))


def write_siasn_csv(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    text = io.TextIOWrapper(target, encoding="utf-8", newline="", write_through=True)
    try:
        return siasn.write_csv(csv.writer(text), _siasn_rows(session, p))
    finally:
        text.detach()  # the caller owns (and closes) the binary file


# --- the catalogue -------------------------------------------------------------------------

Writer = Callable[[Session, Pilihan, IO[bytes]], int]


@dataclass(frozen=True)
class Laporan:
    judul: str  # msgid
    keterangan: str  # msgid
    writers: dict[str, Writer]  # by file extension


REPORTS: dict[str, Laporan] = {
    "pegawai": Laporan(
        N_("Employee Roster"),
        N_(
            "Every employee in scope: NIP, name with titles, rank, position, work unit, "
            "direct supervisor, civil servant type and status."
        ),
        {"xlsx": write_pegawai},
    ),
    "status_skp": Laporan(
        N_("SKP Status per Employee"),
        N_(
            "The newest SKP of the year of every active employee: status, submitted and "
            "approved on, who it waits on and for how many days."
        ),
        {"xlsx": write_status_skp},
    ),
    "predikat": Laporan(
        N_("Employee Performance Ratings"),
        N_(
            "Ratings and predikat for each period of the year, and a summary sheet per OPD "
            "against the distribution curve of its organisation performance rating for the "
            "chosen period."
        ),
        {"xlsx": write_predikat},
    ),
    "kepatuhan": Laporan(
        N_("Performance Management Compliance per OPD"),
        N_(
            "Per OPD, ranked: share of approved SKPs, share of the evaluations of ended "
            "periods that are processed, and what is overdue."
        ),
        {"xlsx": write_kepatuhan},
    ),
    "siasn": Laporan(
        N_("Annual Performance Results for SIASN"),
        N_(
            "Settled annual results in the layout of the national SIASN / e-Kinerja "
            "(skp22): NIP, year, ratings, predikat and the appraising official."
        ),
        {"xlsx": write_siasn, "csv": write_siasn_csv},
    ),
}

MIMETYPES = {"xlsx": XLSX, "csv": CSV}


@dataclass(frozen=True)
class Berkas:
    """A finished report: a temporary file at its start (deleted when closed)."""

    handle: IO[bytes]
    nama: str
    mimetype: str
    rows: int


def filename(p: Pilihan, ext: str) -> str:
    unit = f"_{re.sub(r'[^A-Za-z0-9-]+', '_', p.unit.kode)}" if p.unit else ""
    periode = str(p.periode.tahun)
    if p.periode.jenis != "tahunan":
        periode += f"_{p.periode.jenis}"
    return f"laporan_{p.jenis}_{periode}{unit}.{ext}"


def buat(
    session: Session,
    viewer: scope.Viewer,
    jenis: str,
    ext: str,
    args: Mapping[str, str],
    username: str,
) -> Berkas:
    """Check the request and write the report to a temporary file: on disk, not in memory,
    so that the finished workbook is sent from disk too."""
    report = REPORTS.get(jenis)
    if report is None or ext not in report.writers:
        raise NotFound(N_("There is no such report."))
    p = pilihan(session, viewer, jenis, args, username)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that sends it
    try:
        rows = report.writers[ext](session, p, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return Berkas(handle, filename(p, ext), MIMETYPES[ext], rows)


# --- what the page offers ------------------------------------------------------------------


def periode_choices(session: Session) -> list[Periode]:
    """Every periode, newest year first, the annual one before its quarters."""
    periods = session.execute(
        select(Periode).order_by(Periode.tahun.desc(), Periode.tanggal_mulai, Periode.id)
    ).scalars()
    return sorted(periods, key=lambda periode: (-periode.tahun, periode.jenis != "tahunan"))


def unit_choices(session: Session, viewer: scope.Viewer) -> list[tuple[int, str]]:
    """(id, name path below the city) of the units the viewer may filter by: admin every OPD
    and its bidang; a pimpinan every unit of their OPD; anyone else the units of the
    pegawai in their scope."""
    query = select(UnitKerja.id, UnitKerja.nama_lengkap).order_by(UnitKerja.nama_lengkap)
    if viewer.is_admin:
        query = query.where(_slashes(UnitKerja.path).in_((3, 4)))
    else:
        in_scope = select(Pegawai.unit_kerja_id)
        clause = scope.visible_pegawai_ids(viewer)
        if clause is not None:
            in_scope = in_scope.where(clause)
        conditions = [UnitKerja.id.in_(in_scope)]
        conditions += [
            UnitKerja.path.startswith(path, autoescape=True) for path in viewer.opd_paths
        ]
        query = query.where(or_(*conditions), _slashes(UnitKerja.path) >= 3)
    return [
        (unit_id, nama.split(PATH_SEPARATOR, 1)[-1])
        for unit_id, nama in session.execute(query).tuples()
    ]
