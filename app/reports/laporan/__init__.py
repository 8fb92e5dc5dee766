"""The reports BKPSDM sends to the Sekda (CONTRACT.md, Reports): the catalogue of them, and
the one way a report is made (``buat``) for the Laporan page and /api/v1/laporan/ alike. One
module per report — the roster (``pegawai``), the SKP status (``status_skp``), the predikat
per periode with the kurva distribusi per OPD (``predikat``), the kepatuhan ranking per OPD
(``kepatuhan``), the annual results in the layout SIASN takes (``siasn``) and the angka
kredit of the jabatan fungsional (``angka_kredit``) — and what they
share (``base``: the checked request, the title block, the pieces of the statements).

Every report is ONE statement over the pegawai the viewer may see (``scope.visible_pegawai_ids``)
in the chosen unit's subtree (``UnitKerja.path`` prefix), read with ``yield_per`` (a server-side
cursor on PostgreSQL) straight into a constant-memory workbook (app.reports.workbook). The
statement selects plain columns, never ORM objects, so nothing is lazy-loaded per row and the
number of statements does not depend on the number of rows; memory stays flat
(ARCHITECTURE.md rule 7). The few other statements (the viewer, the periode, the unit, the OPD
names) are the same for ten rows or a hundred thousand.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import IO

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.models.master import PATH_SEPARATOR, Pegawai, UnitKerja
from app.reports.laporan.angka_kredit import angka_kredit_query, write_angka_kredit
from app.reports.laporan.base import Pilihan, periods_of_year, pilihan, slashes
from app.reports.laporan.kepatuhan import write_kepatuhan
from app.reports.laporan.pegawai import pegawai_query, write_pegawai
from app.reports.laporan.predikat import predikat_count_query, predikat_query, write_predikat
from app.reports.laporan.siasn import siasn_query, write_siasn, write_siasn_csv
from app.reports.laporan.status_skp import status_count_query, status_query, write_status_skp
from app.security import scope
from app.services import lookup
from app.services import periode as periode_service
from app.services.errors import NotFound

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# --- the catalogue -------------------------------------------------------------------------

Writer = Callable[[Session, Pilihan, IO[bytes]], int]
Statement = Callable[[Session, Pilihan], Select]


def _predikat_statement(session: Session, p: Pilihan) -> Select:
    return predikat_query(p, periods_of_year(session, p.cakupan.tahunan.tahun))


@dataclass(frozen=True)
class Laporan:
    judul: str  # msgid
    keterangan: str  # msgid
    writers: dict[str, Writer]  # by file extension
    # The statement the report streams, counted to tell a long report (made by the worker,
    # app.services.ekspor) from a short one; None: a row per OPD, always short.
    rows: Statement | None
    # A statement of as many rows, cheaper to count (the rows' joins of one row each left
    # out); None: ``rows`` is counted.
    counted: Statement | None = None


REPORTS: dict[str, Laporan] = {
    "pegawai": Laporan(
        N_("Employee Roster"),
        N_(
            "Every employee in scope: NIP, name with titles, rank, position, work unit, "
            "direct supervisor, civil servant type and status."
        ),
        {"xlsx": write_pegawai},
        lambda session, p: pegawai_query(p),
    ),
    "status_skp": Laporan(
        N_("SKP Status per Employee"),
        N_(
            "The newest SKP of the year of every active employee: status, submitted and "
            "approved on, who it waits on and for how many days."
        ),
        {"xlsx": write_status_skp},
        lambda session, p: status_query(p),
        lambda session, p: status_count_query(p),
    ),
    "predikat": Laporan(
        N_("Employee Performance Ratings"),
        N_(
            "Ratings and predikat for each period of the year, and a summary sheet per OPD "
            "against the distribution curve of its organisation performance rating for the "
            "chosen period."
        ),
        {"xlsx": write_predikat},
        _predikat_statement,
        lambda session, p: predikat_count_query(p),
    ),
    "kepatuhan": Laporan(
        N_("Performance Management Compliance per OPD"),
        N_(
            "Per OPD, ranked: share of approved SKPs, share of the evaluations of ended "
            "periods that are rated, and what is not yet rated."
        ),
        {"xlsx": write_kepatuhan},
        None,
    ),
    "siasn": Laporan(
        N_("Annual Performance Results for SIASN"),
        N_(
            "Settled annual results in the layout of the national SIASN / e-Kinerja "
            "(skp22): NIP, year, ratings, predikat and the appraising official."
        ),
        {"xlsx": write_siasn, "csv": write_siasn_csv},
        lambda session, p: siasn_query(p),
    ),
    "angka_kredit": Laporan(
        N_("Credit Points of Functional Positions"),
        N_(
            "Every employee in a functional position with a settled annual predikat: the "
            "predikat, its percentage, the coefficient of the level, the months in the level "
            "and the credit points earned."
        ),
        {"xlsx": write_angka_kredit},
        lambda session, p: angka_kredit_query(p),
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
    unit = f"_{re.sub(r'[^A-Za-z0-9-]+', '_', p.cakupan.unit.kode)}" if p.cakupan.unit else ""
    periode = str(p.cakupan.periode.tahun)
    if p.cakupan.periode.jenis != "tahunan":
        periode += f"_{p.cakupan.periode.jenis}"
    return f"laporan_{p.jenis}_{periode}{unit}.{ext}"


def periksa(
    session: Session,
    viewer: scope.Viewer,
    jenis: str,
    ext: str,
    args: Mapping[str, str],
    username: str,
) -> Pilihan:
    """Check a request for the report ``jenis`` as file type ``ext`` (base.pilihan)."""
    report = REPORTS.get(jenis)
    if report is None or ext not in report.writers:
        raise NotFound(N_("There is no such report."))
    return pilihan(session, viewer, jenis, args, username)


def hitung(session: Session, p: Pilihan) -> int:
    """How many rows the report will stream: one COUNT of its own statement, or of one of as
    many rows (0 for the reports of one row per OPD)."""
    report = REPORTS[p.jenis]
    statement = report.counted or report.rows
    if statement is None:
        return 0
    counted = statement(session, p).order_by(None).subquery()
    return session.execute(select(func.count()).select_from(counted)).scalar_one()


def tulis(session: Session, p: Pilihan, ext: str, target: IO[bytes]) -> int:
    """Write the checked report to ``target``; returns its rows."""
    return REPORTS[p.jenis].writers[ext](session, p, target)


def berkas(session: Session, p: Pilihan, ext: str) -> Berkas:
    """Write the checked report to a temporary file: on disk, not in memory, so that the
    finished workbook is sent from disk too."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that sends it
    try:
        rows = tulis(session, p, ext, handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return Berkas(handle, filename(p, ext), MIMETYPES[ext], rows)


def buat(
    session: Session,
    viewer: scope.Viewer,
    jenis: str,
    ext: str,
    args: Mapping[str, str],
    username: str,
) -> Berkas:
    """Check the request and write the report to a temporary file, whatever its size."""
    return berkas(session, periksa(session, viewer, jenis, ext, args, username), ext)


# --- what the page offers ------------------------------------------------------------------


# The periods to choose from, the same on every page (app.services.periode).
periode_choices = periode_service.choices


def _units(viewer: scope.Viewer) -> Select:
    """The units the viewer may filter by: admin every OPD and its bidang; a pimpinan every
    unit of their OPD; anyone else the units of the pegawai in their scope."""
    query = select(UnitKerja.id, UnitKerja.nama_lengkap)
    if viewer.is_admin:
        return query.where(slashes(UnitKerja.path).in_((3, 4)))
    # The units of the OPDs the viewer heads by path, and of the pegawai seen besides them
    # by their placement: the OPDs' own pegawai, read to find their units, were a third of
    # the city for the head of the largest OPD (53 ms of the page's 90).
    in_scope = select(Pegawai.unit_kerja_id)
    besides = scope.besides_opds(Pegawai, viewer)
    if besides is not None:
        # Their units found from the pegawai, read first: PostgreSQL matched the scope
        # against every unit's pegawai instead (the atasan of 1,388: 76 ms → 6 ms).
        seen = in_scope.where(besides).cte("seen").prefix_with("MATERIALIZED")
        in_scope = select(seen.c.unit_kerja_id)
    conditions = [UnitKerja.id.in_(in_scope)]
    conditions += [UnitKerja.path.startswith(path, autoescape=True) for path in viewer.opd_paths]
    return query.where(or_(*conditions), slashes(UnitKerja.path) >= 3)


def _named(rows: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    """(id, name path below the city)."""
    return [(unit_id, nama.split(PATH_SEPARATOR, 1)[-1]) for unit_id, nama in rows]


def unit_choices(
    session: Session, viewer: scope.Viewer, term: str = "", page: int = 1
) -> lookup.Matches:
    """Page ``page`` (from 1) of the units the viewer may filter by whose name path holds
    ``term``, by name path: (id, name path below the city). The page's picker asks for
    them as the user types: the head of an OPD of a province may filter by a thousand."""
    query = _units(viewer)
    term = lookup.typed(term)
    if term:
        query = query.where(UnitKerja.nama_lengkap.icontains(term, autoescape=True))
    ordered = query.order_by(UnitKerja.nama_lengkap, UnitKerja.id)
    found = lookup.matches(session, ordered, page, entities=False)
    return lookup.Matches(_named(found.rows), found.more)


def unit_choice(
    session: Session, viewer: scope.Viewer, unit_id: int | None
) -> tuple[int, str] | None:
    """The unit ``unit_id`` as the picker shows it, if the viewer may filter by it."""
    if unit_id is None:
        return None
    found = _named(session.execute(_units(viewer).where(UnitKerja.id == unit_id)).tuples())
    return found[0] if found else None
