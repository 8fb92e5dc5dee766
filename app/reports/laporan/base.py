"""What every report of the catalogue shares: the checked request (``Pilihan``: the cakupan,
viewer, moment of printing), the pieces of their statements — the pegawai in scope and in the
chosen unit's subtree, each one's newest SKP of the year, the streaming read — and of their
sheets — the title block, names and labels as the reader reads them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import get_timezone, gettext
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.domain.errors import DomainError
from app.formatting import tanggal, waktu
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.skp import Skp
from app.reports.workbook import Heading
from app.security import scope
from app.services import cakupan as cakupan_service
from app.services import periode as periode_service
from app.services.errors import NotFound

# Rows fetched per round trip; the cursor streams the rest.
BATCH = 1000


class InvalidParameter(DomainError):
    """A query-string parameter that is not what the report takes (→ 400)."""

    status = 400


# --- what the reader asked for -------------------------------------------------------------


@dataclass(frozen=True)
class Pilihan:
    """One report request, checked: the report, what it covers (the periode, any jenis, and
    the unit whose subtree is reported), the viewer, and the moment of printing."""

    jenis: str
    cakupan: cakupan_service.Cakupan
    viewer: scope.Viewer
    printed_by: str
    now: dt.datetime  # UTC, like every stored datetime
    tz: dt.tzinfo
    # Told the rows read so far after every batch of the streamed statement: the progress
    # bar of a report written in the background (app.services.ekspor).
    progress: Callable[[int], None] | None = field(default=None, compare=False)

    @property
    def today(self) -> dt.date:
        return local(self.now, self.tz).date()


def _id(value: str | None, message: str, field: str) -> int | None:
    """A positive integer id from the query string; empty means "not chosen"."""
    if value is None or not value.strip():
        return None
    if not re.fullmatch(r"[0-9]{1,18}", value.strip()):
        raise InvalidParameter(message, field=field)
    return int(value)


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
    """Check a request for the report ``jenis`` (one of the catalogue's): a periode or unit
    that does not exist or lies outside the viewer's scope is NotFound (404, as on the
    pages: cakupan.choose), an id that is not a number InvalidParameter (400). Without a
    periode, the active year's."""
    periode_id = _id(
        args.get("periode_id"), N_("The period must be given by its number (id)."), "periode_id"
    )
    unit_id = _id(
        args.get("unit_kerja_id"),
        N_("The work unit must be given by its number (id)."),
        "unit_kerja_id",
    )
    periods = periode_service.choices(session)
    chosen = cakupan_service.choose(
        session, viewer, periods, periode_id, unit_id, periode_service.active_annual(periods)
    )
    if chosen is None:
        raise NotFound(N_("There is no annual period yet; ask BKPSDM."))
    return Pilihan(
        jenis=jenis,
        cakupan=chosen,
        viewer=viewer,
        printed_by=_printed_by(session, viewer, username),
        now=_now(),
        tz=ZoneInfo(str(get_timezone())),
    )


# --- shared pieces of the statements -------------------------------------------------------


def local(moment: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
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


def slashes(column: Any) -> Any:
    return func.length(column) - func.length(func.replace(column, "/", ""))


def pegawai_in_scope(columns: list[Any], p: Pilihan) -> Select:
    """Pegawai in the viewer's scope and the chosen unit's subtree, with their unit."""
    query = (
        select(*columns).select_from(Pegawai).join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
    )
    clause = scope.visible_pegawai_ids(p.viewer)
    if clause is not None:
        query = query.where(clause)
    if p.cakupan.unit is not None:
        query = query.where(UnitKerja.path.startswith(p.cakupan.unit.path, autoescape=True))
    return query


def with_newest_skp(query: Select, tahunan: Periode) -> Select:
    """Outer-join each pegawai's newest SKP version of the year (NULL: not yet created)."""
    return query.outerjoin(Skp, Skp.newest_of_year(Pegawai.id, tahunan.id))


def stream(
    session: Session, query: Select, progress: Callable[[int], None] | None = None
) -> Iterator[Any]:
    """The rows of ``query``, BATCH at a time; ``progress`` hears how many have been taken
    once the caller asks for the first row after each batch (so they have been written)."""
    read = 0
    for batch in session.execute(query.execution_options(yield_per=BATCH)).partitions():
        yield from batch
        read += len(batch)
        if progress is not None:
            progress(read)


def periods_of_year(session: Session, tahun: int) -> list[Periode]:
    """The evaluation periods of a year in calendar order, the annual one last."""
    periods = session.execute(
        select(Periode).where(Periode.tahun == tahun).order_by(Periode.tanggal_mulai, Periode.id)
    ).scalars()
    return sorted(periods, key=lambda periode: periode.jenis == "tahunan")


def title_block(p: Pilihan, report: str, periode: Periode | str | None = None) -> Heading:
    """The title block; ``periode`` a periode (default: the chosen one) or a text."""
    periode = periode or p.cakupan.periode
    if isinstance(periode, Periode):
        periode = (
            f"{periode} ({tanggal(periode.tanggal_mulai)} – {tanggal(periode.tanggal_selesai)})"
        )
    return Heading(
        report=report,
        periode=periode,
        unit=p.cakupan.unit.nama_lengkap if p.cakupan.unit else gettext("All units in scope"),
        printed=gettext("Printed on %(when)s by %(who)s", when=waktu(p.now), who=p.printed_by),
    )


def translated(labels: Mapping[str, str]) -> dict[str | None, str | None]:
    """Labels of stored values in the reader's language, looked up once per export rather
    than once per cell (gettext is the slowest step of a row); unknown values pass as
    they are (``.get(value, value)``)."""
    return {key: gettext(label) for key, label in labels.items()}
