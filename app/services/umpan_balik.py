"""Umpan balik berkelanjutan / dialog kinerja (PermenPANRB 6/2022, pelaksanaan): a thread on
an SKP between the pegawai and their pejabat penilai, in general or about one indikator or
one BerAKHLAK value, optionally tied to an evaluation periode.

Only the two parties write; whoever else has the SKP in scope (pimpinan OPD, admin BKPSDM)
reads. Messages are never edited or deleted: nothing is said off-record. The caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.domain import workflow
from app.domain.berakhlak import BERAKHLAK, BY_URUTAN
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole
from app.models.master import Pegawai, Periode
from app.models.monitoring import UmpanBalik
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope
from app.services import skp as skp_service
from app.services.errors import MAX_CATATAN
from app.services.notifikasi import notify
from app.services.periode import evaluation_periods

UMUM = "umum"
PARTIES = {workflow.OWNER, workflow.PENILAI}


def topic_key(indikator_kinerja_id: int | None, perilaku_nilai: int | None) -> str:
    """The topic of a message: general, one indikator or one BerAKHLAK value."""
    if indikator_kinerja_id is not None:
        return f"indikator-{indikator_kinerja_id}"
    if perilaku_nilai is not None:
        return f"perilaku-{perilaku_nilai}"
    return UMUM


def parse_topic(key: str | None) -> tuple[int | None, int | None]:
    """(indikator_kinerja_id, perilaku_nilai) of a topic key; the general topic is (None, None)."""
    kind, _, number = (key or UMUM).partition("-")
    if kind == UMUM and not number:
        return None, None
    if kind in ("indikator", "perilaku") and number.isdigit():
        value = int(number)
        return (value, None) if kind == "indikator" else (None, value)
    raise DomainError(N_("Choose a valid topic."), field="topik")


def parse_periode(value: str | None) -> int | None:
    """The periode id chosen on the page ("" for none)."""
    if not value:
        return None
    if not value.isdigit():
        raise DomainError(N_("Choose an evaluation period of the SKP's year."), field="periode_id")
    return int(value)


@dataclass
class Topik:
    """One thread of the dialog. ``judul`` is a msgid for the general topic and data (the
    indikator's uraian, the BerAKHLAK value's name) otherwise; ``konteks`` its RHK."""

    key: str
    jenis: str  # umum | indikator | perilaku
    judul: str
    konteks: str | None = None
    pesan: list[UmpanBalik] = field(default_factory=list)


@dataclass
class Dialog:
    skp: Skp
    topik: list[Topik]  # every topic the SKP offers, in the order of the SKP document
    periode: list[Periode]  # the evaluation periods of the SKP's year
    boleh_menulis: bool

    @property
    def aktif(self) -> list[Topik]:
        """The topics somebody has written on."""
        return [topik for topik in self.topik if topik.pesan]


def can_write(skp: Skp, viewer: scope.Viewer) -> bool:
    return bool(PARTIES & skp_service.relations(skp, viewer))


def _topics(skp: Skp) -> list[Topik]:
    topics = [Topik(UMUM, UMUM, N_("General"))]
    for rhk in skp.rencana_hasil_kerja:
        for indikator in rhk.indikator:
            topics.append(
                Topik(topic_key(indikator.id, None), "indikator", indikator.uraian, rhk.uraian)
            )
    for value in BERAKHLAK:
        topics.append(Topik(topic_key(None, value.urutan), "perilaku", value.nama))
    return topics


def _visible_skp(session: Session, skp_id: int, viewer: scope.Viewer) -> Skp:
    """The SKP with what the dialog page shows of it; NotFound outside the scope (404)."""
    return scope.get(
        session,
        Skp,
        skp_id,
        viewer,
        N_("SKP not found."),
        options=(
            selectinload(Skp.rencana_hasil_kerja).selectinload(RencanaHasilKerja.indikator),
            selectinload(Skp.pegawai),
            selectinload(Skp.periode),
        ),
    )


def _messages(session: Session, skp_id: int) -> list[UmpanBalik]:
    return list(
        session.execute(
            select(UmpanBalik)
            .where(UmpanBalik.skp_id == skp_id)
            .options(selectinload(UmpanBalik.penulis))
            .order_by(UmpanBalik.dibuat_pada, UmpanBalik.id)
        ).scalars()
    )


def dialog(session: Session, skp_id: int, viewer: scope.Viewer) -> Dialog:
    """The dialog kinerja of an SKP grouped by topic, as the viewer may see it."""
    skp = _visible_skp(session, skp_id, viewer)
    topics = _topics(skp)
    by_key = {topik.key: topik for topik in topics}
    for message in _messages(session, skp.id):
        key = topic_key(message.indikator_kinerja_id, message.perilaku_nilai)
        # An indikator deleted since (a revision, a redraft) leaves its thread readable.
        (by_key.get(key) or by_key[UMUM]).pesan.append(message)
    return Dialog(
        skp, topics, evaluation_periods(session, skp.periode.tahun), can_write(skp, viewer)
    )


def _pesan(text: str | None) -> str:
    value = (text or "").strip()
    if not value:
        raise DomainError(N_("Write a message."), field="pesan")
    if len(value) > MAX_CATATAN:
        raise DomainError(
            N_("The message may be at most %(max)d characters."), field="pesan", max=MAX_CATATAN
        )
    return value


def _check_topic(
    session: Session, skp: Skp, indikator_kinerja_id: int | None, perilaku_nilai: int | None
) -> None:
    if indikator_kinerja_id is not None and perilaku_nilai is not None:
        raise DomainError(
            N_("A message is about one indicator or one core value, not both."),
            field="perilaku_nilai",
        )
    if indikator_kinerja_id is not None:
        owner_skp = session.execute(
            select(RencanaHasilKerja.skp_id)
            .join(IndikatorKinerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
            .where(IndikatorKinerja.id == indikator_kinerja_id)
        ).scalar()
        if owner_skp != skp.id:
            raise DomainError(
                N_("The indicator does not belong to this SKP."), field="indikator_kinerja_id"
            )
    if perilaku_nilai is not None and perilaku_nilai not in BY_URUTAN:
        raise DomainError(N_("Choose one of the seven BerAKHLAK values."), field="perilaku_nilai")


def _check_periode(session: Session, skp: Skp, periode_id: int | None) -> None:
    if periode_id is None:
        return
    periode = session.get(Periode, periode_id)
    if periode is None or periode.tahun != skp.periode.tahun:
        raise DomainError(N_("Choose an evaluation period of the SKP's year."), field="periode_id")


def _other_party(skp: Skp, author_id: int) -> int | None:
    owner = skp.pegawai_id
    penilai = skp.penilai_id or skp.pegawai.penilai_id
    if author_id == owner:
        return penilai if penilai != owner else None
    return owner


def post(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    pesan: str | None,
    indikator_kinerja_id: int | None = None,
    perilaku_nilai: int | None = None,
    periode_id: int | None = None,
) -> UmpanBalik:
    """The owner or the pejabat penilai writes on the SKP's dialog; the other one is told.

    The author is always the signed-in pegawai. Out of scope → NotFound (404); in scope but
    neither party → NotYourRole (403); a bad message or topic → DomainError (422).
    """
    skp = skp_service.get_visible(session, skp_id, viewer)
    if not can_write(skp, viewer):
        raise NotYourRole(
            N_("Only the employee and their appraising official can write in this dialogue.")
        )
    text = _pesan(pesan)
    _check_topic(session, skp, indikator_kinerja_id, perilaku_nilai)
    _check_periode(session, skp, periode_id)
    message = UmpanBalik(
        skp_id=skp.id,
        indikator_kinerja_id=indikator_kinerja_id,
        perilaku_nilai=perilaku_nilai,
        periode_id=periode_id,
        penulis_id=viewer.pegawai_id,
        pesan=text,
        dibuat_pada=dt.datetime.now(dt.UTC).replace(tzinfo=None),
    )
    session.add(message)
    session.flush()
    author = session.get(Pegawai, viewer.pegawai_id)
    notify(
        session,
        _other_party(skp, viewer.pegawai_id),
        "umpan_balik",
        N_("%(nama)s wrote in the performance dialogue on the SKP for %(tahun)s."),
        f"/umpan-balik/{skp.id}#topik-{topic_key(indikator_kinerja_id, perilaku_nilai)}",
        nama=author.nama_lengkap,
        tahun=skp.periode.tahun,
    )
    return message
