"""Periods of the performance cycle: the annual periode of a year carries the rhythm of its
periodic evaluations (quarterly by default, monthly by local policy), and the periodic
periods follow it."""

from __future__ import annotations

from sqlalchemy import exists, or_, select, update
from sqlalchemy.orm import Session

from app.domain import periode as rules
from app.domain import tenggat
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.models.master import Periode
from app.models.monitoring import Realisasi, UmpanBalik
from app.models.penilaian import KurvaJustifikasi, Penilaian, PredikatOrganisasi


def check_periode(periode: Periode) -> None:
    if (
        periode.tanggal_mulai
        and periode.tanggal_selesai
        and (periode.tanggal_mulai > periode.tanggal_selesai)
    ):
        raise DomainError(
            N_("The start date must not be after the end date."), field="tanggal_selesai"
        )
    if periode.tanggal_mulai and periode.tanggal_mulai.year != periode.tahun:
        raise DomainError(
            N_("The start date must fall in the period's year."), field="tanggal_mulai"
        )
    if periode.tanggal_selesai and periode.tanggal_selesai.year != periode.tahun:
        raise DomainError(
            N_("The end date must fall in the period's year."), field="tanggal_selesai"
        )
    tenggat.check(
        periode.tahun, periode.tanggal_mulai, periode.batas_realisasi, periode.batas_penilaian
    )


def check_place(session: Session, periode: Periode, periode_id: int | None) -> None:
    """A periode's dates among its year's: the periodic periods do not overlap one another
    and lie inside the annual one; and the dates of a periode that holds evaluations (or
    realisations, feedback, ratings of the organisation) no longer move."""
    start, end = periode.tanggal_mulai, periode.tanggal_selesai
    if not (periode.tahun and periode.jenis and start and end):
        return
    with session.no_autoflush:  # the stored rows, not the one being saved
        if periode_id is not None:
            stored = session.execute(
                select(Periode.tanggal_mulai, Periode.tanggal_selesai).where(
                    Periode.id == periode_id
                )
            ).first()
            if (
                stored is not None
                and tuple(stored) != (start, end)
                and _in_use(session, periode_id)
            ):
                raise DomainError(
                    N_(
                        "The dates of this period can no longer change: it already holds "
                        "evaluations."
                    ),
                    field="tanggal_mulai" if stored[0] != start else "tanggal_selesai",
                )
        siblings = session.execute(
            select(Periode).where(
                Periode.tahun == periode.tahun,
                Periode.id != (periode_id or 0),
                Periode.jenis != periode.jenis,
            )
        ).scalars()
        for other in siblings:
            if periode.jenis == rules.ANNUAL:
                if other.tanggal_mulai < start or other.tanggal_selesai > end:
                    raise DomainError(
                        N_("The annual period must contain each of its year's periods."),
                        field="tanggal_mulai" if other.tanggal_mulai < start else "tanggal_selesai",
                    )
            elif other.jenis == rules.ANNUAL:
                if start < other.tanggal_mulai or end > other.tanggal_selesai:
                    raise DomainError(
                        N_("The period must lie inside its year's annual period."),
                        field="tanggal_mulai" if start < other.tanggal_mulai else "tanggal_selesai",
                    )
            elif start <= other.tanggal_selesai and other.tanggal_mulai <= end:
                raise DomainError(
                    N_("The period overlaps another period of its year."),
                    field="tanggal_mulai",
                )


def _in_use(session: Session, periode_id: int) -> bool:
    used_by = (Penilaian, Realisasi, UmpanBalik, PredikatOrganisasi, KurvaJustifikasi)
    return session.execute(
        select(or_(*(exists().where(model.periode_id == periode_id) for model in used_by)))
    ).scalar()


def choices(session: Session) -> list[Periode]:
    """The periods every page and report offers: those of each year that has an annual
    periode, newest year first, each year's annual periode before its periodic ones and
    these in calendar order (rules.urutan)."""
    years_with_annual = select(Periode.tahun).where(Periode.jenis == rules.ANNUAL)
    periods = session.execute(select(Periode).where(Periode.tahun.in_(years_with_annual))).scalars()
    return sorted(periods, key=lambda p: (-p.tahun, rules.urutan(p.jenis), p.tanggal_mulai, p.id))


def active_annual(periods: list[Periode]) -> Periode | None:
    """The active year's annual periode among ``periods`` (newest first, as ``choices``
    gives them), else the newest annual one."""
    annual = [p for p in periods if p.jenis == rules.ANNUAL]
    return next((p for p in annual if p.aktif), annual[0] if annual else None)


def ritme_of(session: Session, tahun: int) -> str:
    """The rhythm of ``tahun``'s periodic evaluations (the default when it has no annual
    periode yet)."""
    ritme = session.execute(
        select(Periode.ritme).where(Periode.tahun == tahun, Periode.jenis == rules.ANNUAL)
    ).scalar()
    return ritme or rules.DEFAULT_RITME


def evaluation_periods(session: Session, tahun: int) -> list[Periode]:
    """The periods of ``tahun`` that are evaluated, in calendar order, the annual one last."""
    return list(
        session.execute(
            select(Periode)
            .where(
                Periode.tahun == tahun,
                Periode.jenis.in_(rules.evaluation_jenis(ritme_of(session, tahun))),
            )
            .order_by(Periode.tanggal_selesai, Periode.jenis == rules.ANNUAL)
        ).scalars()
    )


def check_ritme(
    session: Session,
    tahun: int | None,
    jenis: str | None,
    ritme: str | None,
    periode_id: int | None,
) -> None:
    """A periodic periode must follow its year's rhythm; the rhythm (of the annual periode)
    is fixed once the year's periods hold anything."""
    if not tahun or not jenis:
        return
    if jenis != rules.ANNUAL:
        if jenis not in rules.periodic_jenis(ritme_of(session, tahun)):
            raise DomainError(
                N_("This type of period does not follow the evaluation rhythm of its year."),
                field="jenis",
            )
        return
    ritme = ritme or rules.DEFAULT_RITME
    if ritme not in rules.RITME:
        raise DomainError(N_("Unknown evaluation rhythm."), field="ritme")
    if periode_id is None:
        return
    with session.no_autoflush:  # the stored rhythm, not the one being saved
        stored = session.execute(select(Periode.ritme).where(Periode.id == periode_id)).scalar()
    if stored and stored != ritme and _year_in_use(session, tahun):
        raise DomainError(
            N_(
                "The evaluation rhythm of this year can no longer change: its periods "
                "already hold evaluations."
            ),
            field="ritme",
        )


def prepare(session: Session, periode: Periode) -> None:
    """Check a periode about to be saved; the rhythm belongs to annual periods only."""
    check_periode(periode)
    check_place(session, periode, periode.id)
    check_ritme(session, periode.tahun, periode.jenis, periode.ritme, periode.id)
    periode.ritme = (
        (periode.ritme or rules.DEFAULT_RITME) if periode.jenis == rules.ANNUAL else None
    )


def _year_in_use(session: Session, tahun: int) -> bool:
    periodic = select(Periode.id).where(Periode.tahun == tahun, Periode.jenis != rules.ANNUAL)
    used_by = (Penilaian, Realisasi, UmpanBalik, PredikatOrganisasi, KurvaJustifikasi)
    return session.execute(
        select(or_(*(exists().where(model.periode_id.in_(periodic)) for model in used_by)))
    ).scalar()


def follow_ritme(session: Session, annual: Periode) -> None:
    """Give the year the periodic periods of its rhythm: add the missing ones and remove
    those of another rhythm (unused: check_ritme refuses a change once they hold data)."""
    if annual.jenis != rules.ANNUAL:
        return
    wanted = rules.calendar_of(annual.tahun, annual.ritme)
    existing = {
        p.jenis: p
        for p in session.execute(
            select(Periode).where(Periode.tahun == annual.tahun, Periode.jenis != rules.ANNUAL)
        ).scalars()
    }
    wanted_jenis = {jenis for jenis, _, _ in wanted}
    for jenis, periode in existing.items():
        if jenis not in wanted_jenis:
            session.delete(periode)  # through the ORM, so the audit trail records it
    for jenis, start, end in wanted:
        if jenis not in existing:
            session.add(
                Periode(tahun=annual.tahun, jenis=jenis, tanggal_mulai=start, tanggal_selesai=end)
            )
    session.flush()


def keep_one_active_year(session: Session, periode: Periode) -> None:
    """Only one annual period is active at a time: activating one deactivates the others."""
    if periode.aktif and periode.jenis == rules.ANNUAL:
        session.execute(
            update(Periode)
            .where(Periode.jenis == rules.ANNUAL, Periode.id != periode.id, Periode.aktif.is_(True))
            .values(aktif=False)
            .execution_options(synchronize_session="fetch")
        )
