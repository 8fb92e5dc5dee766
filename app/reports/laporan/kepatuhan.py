"""Kepatuhan: how far each OPD (or sub-unit of the chosen unit) is with the cycle, ranked —
the figures of the Kepatuhan page and of the dashboard for the same unit and periode
(app.services.kepatuhan)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from app.domain.enums import N_
from app.reports.laporan.base import Pilihan, periods_of_year, title_block
from app.reports.workbook import NUMBER, PERCENT, Column, Formats, Group, Table, open_workbook
from app.services import kepatuhan as kepatuhan_service
from app.services import monitoring

KEPATUHAN_COLUMNS = (
    Column(N_("Ranking"), 9, NUMBER),
    Column(N_("Work unit"), 45),
    Column(N_("Active employees"), 11, NUMBER),
    Column(N_("SKP approved"), 11, NUMBER),
    Column(N_("SKP approved (%)"), 11, PERCENT),
    Column(N_("SKP not yet approved"), 11, NUMBER),
    Column(N_("Evaluations due"), 11, NUMBER),
    Column(N_("Evaluations rated"), 11, NUMBER),
    Column(N_("Evaluations rated (%)"), 11, PERCENT),
    Column(N_("Evaluations not yet rated"), 11, NUMBER),
    Column(N_("Compliance index"), 11, PERCENT),
)


@dataclass
class Kepatuhan:
    """The counts of one OPD (or sub-unit) and the shares they make: those of the dashboard
    and, as open items, of the Kepatuhan page (app.services.kepatuhan)."""

    nama: str
    pegawai: int = 0
    disetujui: int = 0
    jatuh_tempo: int = 0  # the evaluations due (kepatuhan.penilaian_per_group)
    dinilai: int = 0  # of which rated (workflow.PENILAIAN_RATED)

    def add(self, other: Kepatuhan) -> None:
        self.pegawai += other.pegawai
        self.disetujui += other.disetujui
        self.jatuh_tempo += other.jatuh_tempo
        self.dinilai += other.dinilai

    @property
    def skp_share(self) -> float | None:
        return self.disetujui / self.pegawai if self.pegawai else None

    @property
    def penilaian_share(self) -> float | None:
        return self.dinilai / self.jatuh_tempo if self.jatuh_tempo else None

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
            self.dinilai,
            self.penilaian_share,
            self.jatuh_tempo - self.dinilai,
            self.index,
        ]


def kepatuhan_kewajiban(session: Session, p: Pilihan) -> kepatuhan_service.Kewajiban:
    """What the report counts: what is due in the chosen periode and unit on the local
    today, as the Kepatuhan page and the dashboard count it."""
    periods = periods_of_year(session, p.cakupan.tahunan.tahun)
    return kepatuhan_service.kewajiban_of(periods, p.cakupan, p.today)


def kepatuhan_rows(
    session: Session, p: Pilihan, kewajiban: kepatuhan_service.Kewajiban
) -> list[Kepatuhan]:
    """One row per OPD (or per sub-unit of the chosen unit) that has active pegawai, and
    one for those placed directly in the chosen unit (or outside every OPD): the SKP counts
    of the monitoring summary and the evaluations due and rated of the Kepatuhan page."""
    summary, _ = monitoring.summary(session, p.viewer, p.cakupan)
    evaluations = kepatuhan_service.penilaian_per_group(session, p.viewer, kewajiban)
    rows = []
    for row in summary:
        if not row.total:
            continue
        if not row.direct:
            nama = row.nama
        elif row.unit_id is None:
            nama = gettext(row.nama)
        else:
            nama = gettext("%(unit)s (directly)", unit=row.nama)
        done = evaluations.get(
            None if row.direct else row.unit_id, kepatuhan_service.Penyelesaian()
        )
        rows.append(
            Kepatuhan(nama, row.total, row.counts["disetujui"], done.jatuh_tempo, done.dinilai)
        )
    return rows


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
    kewajiban = kepatuhan_kewajiban(session, p)
    rows = kepatuhan_rows(session, p, kewajiban)
    covered = gettext(
        "SKP of %(year)s; evaluations of the periods that have ended: %(periods)s.",
        year=p.cakupan.tahunan.tahun,
        periods=", ".join(str(periode) for periode in kewajiban.jatuh_tempo) or "—",
    )
    book = open_workbook(target)
    table = Table(
        book,
        Formats(book),
        gettext("Compliance"),
        title_block(p, gettext("Performance Management Compliance per OPD"), covered),
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
