"""The ratings: hasil kerja, perilaku kerja and predikat of every periode of the year per
pegawai, and per OPD the distribution of the chosen periode against the kurva distribusi of
its predikat organisasi (SE MenPANRB 3/2023)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from itertools import repeat
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, aliased

from app.domain import enums, scoring
from app.domain.enums import N_
from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
from app.models.penilaian import Penilaian, PredikatOrganisasi
from app.models.skp import Skp
from app.reports.laporan.base import (
    Pilihan,
    nama_lengkap,
    pegawai_in_scope,
    periods_of_year,
    slashes,
    stream,
    title_block,
    translated,
    with_newest_skp,
)
from app.reports.workbook import NUMBER, PERCENT, Column, Formats, Group, Table, open_workbook
from app.services import kepatuhan as kepatuhan_service


def periode_label(periode: Periode) -> str:
    """The jenis alone ("Quarter I"): a column group within one year's sheet."""
    return gettext(enums.label(enums.JENIS_PERIODE, periode.jenis))


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


def _rated_or_active(columns: list[Any], p: Pilihan) -> Select:
    """Who the report has a row for: each pegawai in scope who is active or has an SKP for
    the year (asked with EXISTS: the report's count need not find each one's newest)."""
    skp = aliased(Skp, name="skp_of_year")  # not the report's newest SKP, joined after
    any_skp = (
        select(skp.id)
        .where(skp.pegawai_id == Pegawai.id, skp.periode_id == p.cakupan.tahunan.id)
        .exists()
    )
    return pegawai_in_scope(columns, p).where(or_(Pegawai.aktif.is_(True), any_skp))


def predikat_count_query(p: Pilihan) -> Select:
    """As many rows as ``predikat_query``, without its joins of one row each (the newest SKP,
    a position, a rating per periode): counting the whole statement cost 350-600 ms at
    100,000 pegawai on PostgreSQL."""
    return _rated_or_active([Pegawai.id], p)


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
    query = with_newest_skp(_rated_or_active(columns, p), p.cakupan.tahunan).outerjoin(
        Jabatan, Pegawai.jabatan_id == Jabatan.id
    )
    for penilaian, periode in joined:
        query = query.outerjoin(
            penilaian, and_(penilaian.skp_id == Skp.id, penilaian.periode_id == periode.id)
        )
    return query.order_by(UnitKerja.nama_lengkap, Pegawai.nama, Pegawai.id)


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
    chosen = next(i for i, periode in enumerate(periods) if periode.id == p.cakupan.periode.id)
    ratings, predikats = translated(scoring.RATINGS), translated(scoring.PREDIKAT)
    for number, row in enumerate(stream(session, predikat_query(p, periods), p.progress), start=1):
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
        yield values, kepatuhan_service.group_key(row.path, None), per_periode[3 * chosen + 2]


def write_predikat(session: Session, p: Pilihan, target: IO[bytes]) -> int:
    """The detail sheet (every periode of the year), then the summary per OPD for the chosen
    periode against the kurva distribusi of its predikat organisasi."""
    periods = periods_of_year(session, p.cakupan.tahunan.tahun)
    opds = dict(
        session.execute(select(UnitKerja.id, UnitKerja.nama).where(slashes(UnitKerja.path) == 3))
        .tuples()
        .all()
    )
    predikat_organisasi = dict(
        session.execute(
            select(PredikatOrganisasi.unit_kerja_id, PredikatOrganisasi.predikat).where(
                PredikatOrganisasi.periode_id == p.cakupan.periode.id
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
        title_block(p, gettext("Employee Performance Ratings"), p.cakupan.tahunan),
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
        title_block(p, gettext("Rating Distribution per OPD")),
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
