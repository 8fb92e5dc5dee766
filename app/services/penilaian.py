"""Evaluation use cases: the only code that changes a penilaian's state or ratings.

submit (pegawai) → rate (pejabat penilai, again until answered) → accept | object (pegawai,
within the objection window) → decide (atasan pejabat penilai; final, PP 30/2019).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, and_, false, select, union, union_all
from sqlalchemy.orm import Session, contains_eager, joinedload, object_session, selectinload

from app.domain import capaian as capaian_rule
from app.domain import mutasi as mutasi_rules
from app.domain import scoring, workflow
from app.domain.berakhlak import BY_URUTAN
from app.domain.enums import N_
from app.domain.errors import DomainError, TransitionRefused
from app.models.master import Pegawai, Periode
from app.models.monitoring import Realisasi
from app.models.penilaian import Penilaian, PenilaianPerilaku, PenilaianRiwayat
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import acting as acting_posts
from app.security import scope
from app.services import atas_nama, kurva, pengembangan, pihak, tahun
from app.services.errors import NotFound, checked_text, stale
from app.services.notifikasi import notify, notify_admins
from app.services.paging import Halaman, page_of
from app.services.periode import evaluation_periods

DEFAULT_OBJECTION_DAYS = 14


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def objection_days() -> int:
    """The keberatan window in days (local policy; setting KEBERATAN_HARI)."""
    return int(current_app.config.get("KEBERATAN_HARI", DEFAULT_OBJECTION_DAYS))


# --- created with the SKP ---------------------------------------------------------------


def create_for_approved(session: Session, skp: Skp) -> list[Penilaian]:
    """One penilaian per evaluation periode of the SKP's year (its quarters or months, and
    the annual one).

    A revision takes over the periods not yet started on the version it replaces, with the
    realisasi already recorded for them; periods already under way stay on the old version,
    where they were evaluated. The SKP of a post taken after a mutasi evaluates the periods
    from the move on that the SKP of the post left did not keep (app.domain.mutasi).
    """
    periods = evaluation_periods(session, session.get(Periode, skp.periode_id).tahun)
    if skp.revisi_dari_id:
        not_started = (
            session.execute(
                select(Penilaian).where(
                    Penilaian.skp_id == skp.revisi_dari_id, Penilaian.status == "belum_dinilai"
                )
            )
            .scalars()
            .all()
        )
        _carry_realisasi(session, skp, {item.periode_id for item in not_started})
        for item in not_started:
            session.delete(item)  # through the ORM, so the audit trail records it
        session.flush()
    started = held_by_other_versions(session, skp)
    created = [
        Penilaian(skp=skp, periode_id=periode.id, status="belum_dinilai", penilai_id=skp.penilai_id)
        for periode in periods
        if periode.id not in started
        and mutasi_rules.evaluated_by(skp.berlaku_mulai, periode.tanggal_selesai)
    ]
    session.add_all(created)
    return created


def held_by_other_versions(session: Session, skp: Skp) -> set[int]:
    """The periods evaluated on another SKP of the same pegawai and year: those a revised
    version or the SKP of a post left keep (a periode is evaluated on one SKP only)."""
    return set(
        session.execute(
            select(Penilaian.periode_id)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .where(
                Skp.pegawai_id == skp.pegawai_id,
                Skp.periode_id == skp.periode_id,
                Skp.id != skp.id,
            )
        ).scalars()
    )


def _indikator_by_content(skp: Skp) -> dict[tuple[str, str, str], IndikatorKinerja]:
    return {
        (rhk.uraian, indikator.uraian, indikator.aspek): indikator
        for rhk in skp.rencana_hasil_kerja
        for indikator in rhk.indikator
    }


def _carry_realisasi(session: Session, revision: Skp, periode_ids: set[int]) -> None:
    """Move the realisasi (with their bukti) of periods not yet submitted to the matching
    indikator of the revision: same RHK and indikator wording and aspek."""
    if not periode_ids:
        return
    old = session.get(Skp, revision.revisi_dari_id)
    target = _indikator_by_content(revision)
    for key, indikator in _indikator_by_content(old).items():
        if key not in target:
            continue
        for realisasi in session.execute(
            select(Realisasi).where(
                Realisasi.indikator_kinerja_id == indikator.id,
                Realisasi.periode_id.in_(periode_ids),
            )
        ).scalars():
            realisasi.indikator_kinerja_id = target[key].id


# --- who stands where -------------------------------------------------------------------


def penilai_of(penilaian: Penilaian) -> int | None:
    """The evaluation's pejabat penilai: who rated it, else the one fixed on its SKP at
    submission, else the owner's (``Pegawai.penilai_id``)."""
    return penilaian.penilai_id or penilaian.skp.penilai_id or penilaian.skp.pegawai.penilai_id


def atasan_penilai_of(session: Session, penilaian: Penilaian) -> int | None:
    """The atasan pejabat penilai: the pejabat penilai's own atasan."""
    penilai = penilai_of(penilaian)
    if penilai is None:
        return None
    return session.execute(select(Pegawai.atasan_id).where(Pegawai.id == penilai)).scalar()


def relations(session: Session, penilaian: Penilaian, viewer: scope.Viewer) -> set[str]:
    """How the viewer stands to the evaluation. Admin BKPSDM rates on behalf of a non-ASN
    pejabat penilai, and decides an objection whose pejabat penilai has no atasan in the app
    (Tim Penilai Kinerja)."""
    found: set[str] = set()
    me = viewer.pegawai_id
    penilai = penilai_of(penilaian)
    if me is not None:
        if penilaian.skp.pegawai_id == me:
            found.add(workflow.OWNER)
        if penilai == me:
            found.add(workflow.PENILAI)
        if atasan_penilai_of(session, penilaian) == me:
            found.add(workflow.ATASAN_PENILAI)
    if acting_for(penilaian, viewer):
        found.add(workflow.PENILAI)
    if viewer.is_admin:
        if rated_on_behalf(penilaian, viewer):
            found.add(workflow.PENILAI)
        if atasan_penilai_of(session, penilaian) is None and (
            penilai is not None or penilaian.skp.pegawai.penilai_non_asn
        ):
            found.add(workflow.ATASAN_PENILAI)
    return found


def acting_for(penilaian: Penilaian, viewer: scope.Viewer) -> acting_posts.Acting | None:
    """The Plt/Plh assignment under which the viewer stands in for the evaluation's pejabat
    penilai (None when they are the penilai themselves, or cover no such post)."""
    penilai = penilai_of(penilaian)
    owner = penilaian.skp.pegawai_id
    if not viewer.acting or penilai == viewer.pegawai_id or owner == viewer.pegawai_id:
        return None
    return acting_posts.covering(object_session(penilaian), viewer.acting, owner, penilai)


def rated_on_behalf(penilaian: Penilaian, viewer: scope.Viewer) -> str | None:
    """The non-ASN official the viewer (admin BKPSDM) rates for, if any."""
    return atas_nama.official_of(penilaian.skp.pegawai, penilai_of(penilaian), viewer)


def _on_behalf(penilaian: Penilaian, action: str, viewer: scope.Viewer) -> str | None:
    """Whom an act of the viewer is done for: the non-ASN penilai (rate), the Tim Penilai
    Kinerja (decide by admin BKPSDM); None for one's own act."""
    if action == "rate":
        return rated_on_behalf(penilaian, viewer)
    if action == "decide" and viewer.is_admin:
        return atas_nama.TIM_PENILAI
    return None


def get_visible(session: Session, penilaian_id: int, viewer: scope.Viewer) -> Penilaian:
    """The penilaian if the viewer may see it (Penilaian.scope_also: the atasan pejabat
    penilai once it is objected to); NotFound otherwise."""
    return scope.get(session, Penilaian, penilaian_id, viewer, N_("Evaluation not found."))


# What the evaluation page shows of an evaluation besides its realisasi rows: the SKP with
# its parties (pihak), the period, the ratings per perilaku and the history.
_DOCUMENT = (
    joinedload(Penilaian.skp).options(*pihak.OF_SKP, joinedload(Skp.periode)),
    joinedload(Penilaian.periode),
    selectinload(Penilaian.perilaku),
    selectinload(Penilaian.riwayat).joinedload(PenilaianRiwayat.oleh),
)


def document(session: Session, penilaian_id: int, viewer: scope.Viewer) -> Penilaian:
    """The evaluation for its page, if the viewer may see it, with all the page shows of it."""
    return scope.get(
        session, Penilaian, penilaian_id, viewer, N_("Evaluation not found."), options=_DOCUMENT
    )


# --- transitions ------------------------------------------------------------------------


def _check_version(penilaian: Penilaian, expected: int | None) -> None:
    if expected is not None and penilaian.version_id != expected:
        raise stale()


def _rating(value: str | None, field: str) -> str:
    # A JSON body may hold anything: a list is not a rating either (and is unhashable).
    if not isinstance(value, str) or value not in scoring.RATINGS:
        raise DomainError(N_("Choose a rating: above, meets or below expectations."), field=field)
    return value


def _transition(
    session: Session,
    penilaian: Penilaian,
    action: str,
    viewer: scope.Viewer,
    catatan: str | None = None,
    dokumen: atas_nama.Dokumen | None = None,
) -> None:
    old = penilaian.status
    penilaian.status = workflow.next_penilaian_state(
        old, action, relations(session, penilaian, viewer)
    )
    penilaian.diubah_pada = _now()
    official = _on_behalf(penilaian, action, viewer)
    acting = acting_for(penilaian, viewer) if action == "rate" else None
    # A rating given for a non-ASN official needs their signature on paper.
    stored, shown = atas_nama.signed_document(
        session,
        dokumen if official else None,
        required=action == "rate" and official is not None,
    )
    session.add(
        PenilaianRiwayat(
            penilaian=penilaian,
            aksi=action,
            dari=old,
            ke=penilaian.status,
            oleh_id=viewer.pegawai_id,
            waktu=_now(),
            catatan=catatan,
            atas_nama=acting.signed_as if acting else official,
            penugasan_id=acting.penugasan_id if acting else None,
            dokumen=stored,
            dokumen_nama=shown,
            rating={
                "rating_hasil_kerja": penilaian.rating_hasil_kerja,
                "rating_perilaku_kerja": penilaian.rating_perilaku_kerja,
                "predikat": penilaian.predikat,
            },
        )
    )


def riwayat_with_document(
    session: Session, riwayat_id: int, viewer: scope.Viewer
) -> PenilaianRiwayat:
    """A step of an evaluation's history that carries a signed document, if the viewer may
    see the evaluation; NotFound otherwise."""
    riwayat = session.get(PenilaianRiwayat, riwayat_id)
    if riwayat is None or riwayat.dokumen is None:
        raise NotFound(N_("Document not found."))
    get_visible(session, riwayat.penilaian_id, viewer)
    return riwayat


def missing_realisasi(session: Session, penilaian: Penilaian) -> list[str]:
    """The indikator of the SKP that have no realisasi for the penilaian's periode."""
    rows = session.execute(
        select(IndikatorKinerja.uraian)
        .join(RencanaHasilKerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
        .outerjoin(
            Realisasi,
            (Realisasi.indikator_kinerja_id == IndikatorKinerja.id)
            & (Realisasi.periode_id == penilaian.periode_id),
        )
        .where(RencanaHasilKerja.skp_id == penilaian.skp_id, Realisasi.id.is_(None))
        .order_by(IndikatorKinerja.id)
    ).scalars()
    return list(rows)


def submit(
    session: Session, penilaian_id: int, viewer: scope.Viewer, expected: int | None = None
) -> Penilaian:
    penilaian = get_visible(session, penilaian_id, viewer)
    _check_version(penilaian, expected)
    workflow.next_penilaian_state(penilaian.status, "submit", relations(session, penilaian, viewer))
    missing = missing_realisasi(session, penilaian)
    if missing:
        raise DomainError(
            N_("Fill in the realisation of every indicator first (missing: %(missing)s)."),
            missing=", ".join(missing[:5]),
        )
    _transition(session, penilaian, "submit", viewer)
    penilaian.diajukan_pada = _now()
    penilai = penilai_of(penilaian)
    owner = penilaian.skp.pegawai_id
    for recipient in {penilai, *acting_posts.acting_officials(session, owner, penilai)}:
        notify(
            session,
            recipient,
            "realisasi_diajukan",
            N_("%(nama)s submitted realisations for %(periode)s."),
            f"/penilaian/{penilaian.id}",
            nama=penilaian.skp.pegawai.nama_lengkap,
            periode=str(penilaian.periode),
        )
    return penilaian


def _set_ratings(
    penilaian: Penilaian, rating_hasil_kerja: str | None, rating_perilaku_kerja: str | None
) -> None:
    penilaian.rating_hasil_kerja = _rating(rating_hasil_kerja, "rating_hasil_kerja")
    penilaian.rating_perilaku_kerja = _rating(rating_perilaku_kerja, "rating_perilaku_kerja")
    penilaian.predikat = scoring.predikat(
        penilaian.rating_hasil_kerja, penilaian.rating_perilaku_kerja
    )


def rate(
    session: Session,
    penilaian_id: int,
    viewer: scope.Viewer,
    rating_hasil_kerja: str | None,
    rating_perilaku_kerja: str | None,
    umpan_balik: str | None = None,
    umpan_balik_perilaku: dict[int, str | None] | None = None,
    expected: int | None = None,
    dokumen: atas_nama.Dokumen | None = None,
    alasan_rating: str | None = None,
) -> Penilaian:
    """The pejabat penilai rates both dimensions; the predikat follows from the matrix.
    Admin BKPSDM rating for a non-ASN pejabat penilai attaches their signed ``dokumen``.
    An OPD head's rating hasil kerja that departs from their OPD's predikat organisasi
    needs ``alasan_rating`` (kurva.alasan_menyimpang)."""
    penilaian = get_visible(session, penilaian_id, viewer)
    _check_version(penilaian, expected)
    workflow.next_penilaian_state(penilaian.status, "rate", relations(session, penilaian, viewer))
    _set_ratings(penilaian, rating_hasil_kerja, rating_perilaku_kerja)
    penilaian.alasan_rating = kurva.alasan_menyimpang(session, penilaian, alasan_rating)
    penilaian.umpan_balik = checked_text(umpan_balik, "umpan_balik")
    existing = {p.nilai: p for p in penilaian.perilaku}
    for nilai, text in (umpan_balik_perilaku or {}).items():
        if nilai not in BY_URUTAN:
            continue
        value = checked_text(text, f"umpan_balik_{nilai}")
        if nilai in existing:
            existing[nilai].umpan_balik = value
        else:
            penilaian.perilaku.append(PenilaianPerilaku(nilai=nilai, umpan_balik=value))
    acting = acting_for(penilaian, viewer)
    _transition(session, penilaian, "rate", viewer, dokumen=dokumen)
    # The pejabat penilai of record: a Plt/Plh rates for the post, so an absent holder's
    # post stays the penilai (its atasan decides an objection); a vacant post's Plt is.
    penilaian.penilai_id = (
        acting.menggantikan_id if acting and acting.menggantikan_id else viewer.pegawai_id
    )
    penilaian.dinilai_pada = _now()
    notify(
        session,
        penilaian.skp.pegawai_id,
        "dinilai",
        N_("Your performance for %(periode)s was rated: %(predikat)s."),
        f"/penilaian/{penilaian.id}",
        periode=str(penilaian.periode),
        predikat=scoring.PREDIKAT[penilaian.predikat],
    )
    return penilaian


def accept(
    session: Session, penilaian_id: int, viewer: scope.Viewer, expected: int | None = None
) -> Penilaian:
    penilaian = get_visible(session, penilaian_id, viewer)
    _check_version(penilaian, expected)
    _transition(session, penilaian, "accept", viewer)
    penilaian.ditanggapi_pada = _now()
    pengembangan.tindak_lanjuti(session, penilaian)
    return penilaian


def deemed_due(today: dt.date) -> ColumnElement[bool]:
    """Rated, and neither accepted nor objected to within the window that closed before
    ``today``: due to count as accepted (the job, and the closing of a year, ask this)."""
    closed_before = dt.datetime.combine(today, dt.time.min) - dt.timedelta(days=objection_days())
    return and_(Penilaian.status == "dinilai", Penilaian.dinilai_pada < closed_before)


def deem_accepted(session: Session, today: dt.date, of_year: int | None = None) -> int:
    """The scheduled job of deemed acceptance (CONTRACT.md, Workflow additions): every rating
    the pegawai neither accepted nor objected to within the window that closed before
    ``today`` counts as accepted; the history names the system (no person), the pegawai is
    told, and the follow-up of the rating starts as on an acceptance. Idempotent: a second
    run finds nothing left. ``of_year``: only that year's (run as the year closes). Returns
    how many were accepted."""
    query = select(Penilaian).where(deemed_due(today))
    if of_year is not None:
        query = query.where(
            Penilaian.periode_id.in_(select(Periode.id).where(Periode.tahun == of_year))
        )
    closed_years = tahun.closed_years(session)
    if closed_years:  # a closed year is read-only, for the system too
        in_closed_years = select(Periode.id).where(Periode.tahun.in_(closed_years))
        query = query.where(Penilaian.periode_id.not_in(in_closed_years))
    due = session.execute(query.order_by(Penilaian.id).with_for_update(skip_locked=True)).scalars()
    accepted = 0
    for penilaian in due:
        old = penilaian.status
        penilaian.status = workflow.next_penilaian_state(old, "deem", {workflow.SYSTEM})
        penilaian.diubah_pada = penilaian.ditanggapi_pada = _now()
        session.add(
            PenilaianRiwayat(
                penilaian=penilaian,
                aksi="deem",
                dari=old,
                ke=penilaian.status,
                oleh_id=None,
                waktu=_now(),
                rating={
                    "rating_hasil_kerja": penilaian.rating_hasil_kerja,
                    "rating_perilaku_kerja": penilaian.rating_perilaku_kerja,
                    "predikat": penilaian.predikat,
                },
            )
        )
        pengembangan.tindak_lanjuti(session, penilaian)
        notify(
            session,
            penilaian.skp.pegawai_id,
            "diterima_otomatis",
            N_(
                "Your evaluation for %(periode)s counts as accepted: %(days)d days "
                "passed without an answer."
            ),
            f"/penilaian/{penilaian.id}",
            periode=str(penilaian.periode),
            days=objection_days(),
        )
        accepted += 1
    return accepted


def objection_deadline(penilaian: Penilaian) -> dt.datetime | None:
    if penilaian.dinilai_pada is None:
        return None
    return penilaian.dinilai_pada + dt.timedelta(days=objection_days())


def object_(
    session: Session,
    penilaian_id: int,
    viewer: scope.Viewer,
    alasan: str | None,
    expected: int | None = None,
) -> Penilaian:
    """The pegawai objects, with a reason, within the window after the rating."""
    penilaian = get_visible(session, penilaian_id, viewer)
    _check_version(penilaian, expected)
    reason = checked_text(alasan, "alasan", required=True)
    deadline = objection_deadline(penilaian)
    if penilaian.status == "dinilai" and deadline is not None and _now() > deadline:
        raise TransitionRefused(
            N_("The objection window of %(days)d days after the rating has closed."),
            days=objection_days(),
        )
    _transition(session, penilaian, "object", viewer, reason)
    penilaian.keberatan_alasan = reason
    penilaian.ditanggapi_pada = _now()
    link = f"/penilaian/{penilaian.id}"
    facts = {"nama": penilaian.skp.pegawai.nama_lengkap, "periode": str(penilaian.periode)}
    atasan = atasan_penilai_of(session, penilaian)
    if atasan is not None:
        pesan = N_("%(nama)s objected to the evaluation for %(periode)s.")
        notify(session, atasan, "keberatan", pesan, link, **facts)
    else:
        # No atasan pejabat penilai in the app: the Tim Penilai Kinerja (admin BKPSDM)
        # decides it (``relations``), so every admin account is told.
        pesan = N_(
            "%(nama)s objected to the evaluation for %(periode)s. Its pejabat penilai has no "
            "atasan in the app: the Tim Penilai Kinerja BKPSDM decides it."
        )
        notify_admins(session, "keberatan", pesan, link, **facts)
    return penilaian


def decide(
    session: Session,
    penilaian_id: int,
    viewer: scope.Viewer,
    rating_hasil_kerja: str | None,
    rating_perilaku_kerja: str | None,
    catatan: str | None,
    expected: int | None = None,
) -> Penilaian:
    """The atasan pejabat penilai decides an objection; the decision is final."""
    penilaian = get_visible(session, penilaian_id, viewer)
    _check_version(penilaian, expected)
    note = checked_text(catatan, "catatan", required=True)
    workflow.next_penilaian_state(penilaian.status, "decide", relations(session, penilaian, viewer))
    _set_ratings(penilaian, rating_hasil_kerja, rating_perilaku_kerja)
    _transition(session, penilaian, "decide", viewer, note)
    penilaian.keputusan_catatan = note
    penilaian.diputus_oleh_id = viewer.pegawai_id
    penilaian.diputus_pada = _now()
    for recipient in {penilaian.skp.pegawai_id, penilai_of(penilaian)}:
        notify(
            session,
            recipient,
            "keputusan",
            N_("The objection for %(periode)s was decided: %(predikat)s (final)."),
            f"/penilaian/{penilaian.id}",
            periode=str(penilaian.periode),
            predikat=scoring.PREDIKAT[penilaian.predikat],
        )
    pengembangan.tindak_lanjuti(session, penilaian)
    return penilaian


# --- lists ------------------------------------------------------------------------------


# What a list of evaluations shows of each: the pegawai (through the SKP) and the periode.
LISTED = (joinedload(Penilaian.skp).joinedload(Skp.pegawai), joinedload(Penilaian.periode))


def rated_by(pegawai_id: int, *where: Any) -> Select:
    """Ids of the evaluations (among ``where``) whose pejabat penilai is ``pegawai_id``."""
    return Penilaian.by_penilai(lambda column: column == pegawai_id, *where)


def appraised_by(viewer: scope.Viewer, *where: Any) -> list[Select]:
    """The branches of a UNION of the ids of the evaluations (among ``where``) the viewer
    rates: as their pejabat penilai, and for the post a running Plt/Plh assignment of theirs
    covers. Empty for a viewer who appraises nobody."""
    branches = []
    if viewer.pegawai_id is not None:
        branches += rated_by(viewer.pegawai_id, *where).selects
    for post in viewer.acting:
        if post.menggantikan_id is not None:
            branches += rated_by(post.menggantikan_id, *where).selects
        else:
            branches.append(_of_vacant_post(post, *where))
    return branches


def decided_by(pegawai_id: int) -> Select:
    """Ids of the evaluations whose objections ``pegawai_id`` decides: those whose pejabat
    penilai (as in ``rated_by``) has ``pegawai_id`` as atasan (``atasan_penilai_of``). Of
    every status: join them and ask the status after — asked inside, the database walks
    every evaluation in that status of the city for each case."""
    raters = select(Pegawai.id).where(Pegawai.atasan_id == pegawai_id)
    return Penilaian.by_penilai(lambda column: column.in_(raters))


def to_rate(session: Session, viewer: scope.Viewer, nomor: int = 1) -> Halaman:
    """Evaluations waiting for the viewer as pejabat penilai, longest waiting first, one
    page at a time (an atasan of a large unit may have hundreds)."""
    branches = appraised_by(viewer)
    if viewer.is_admin:
        branches.append(_of_non_asn_penilai(Penilaian.status == "diajukan"))
    if not branches:
        return page_of(session, select(Penilaian).where(false()), nomor)
    # One flat UNION (SQLite takes no UNION nested in another), joined and asked the status
    # after: the status asked inside, or ``id IN (…)``, walks every submitted evaluation of
    # the city.
    mine = union(*branches).subquery("mine")
    query = (
        select(Penilaian)
        .join(mine, mine.c.id == Penilaian.id)
        .where(Penilaian.status == "diajukan")
        .options(*LISTED)
        .order_by(Penilaian.diajukan_pada, Penilaian.id)
    )
    return page_of(session, query, nomor)


def _of_non_asn_penilai(*where: Any) -> Select:
    """Ids of the evaluations (among ``where``) whose pejabat penilai is not an ASN."""
    return (
        select(Penilaian.id)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .join(Pegawai, Skp.pegawai_id == Pegawai.id)
        .where(
            *where,
            Penilaian.penilai_id.is_(None),
            Skp.penilai_id.is_(None),
            *Pegawai.has_penilai_non_asn(),
        )
    )


def _of_vacant_post(post: acting_posts.Acting, *where: Any) -> Select:
    """Ids of the evaluations (among ``where``) of the staff of a vacant head post, which
    nobody appraises but its Plt/Plh."""
    return (
        select(Penilaian.id)
        .join(Skp, Penilaian.skp_id == Skp.id)
        .where(
            *where,
            Penilaian.penilai_id.is_(None),
            Skp.penilai_id.is_(None),
            Skp.pegawai_id.in_(union_all(*acting_posts.staff_of(post))),
        )
    )


def decided_by_tim_penilai(status: str) -> Select:
    """Ids of the evaluations in ``status`` whose pejabat penilai has no atasan in the app:
    a non-ASN one, or a pegawai at the top of the chain (the Sekda)."""
    tops = select(Pegawai.id).where(Pegawai.atasan_id.is_(None))
    by_tops = Penilaian.by_penilai(lambda column: column.in_(tops), Penilaian.status == status)
    return union_all(*by_tops.selects, _of_non_asn_penilai(Penilaian.status == status))


def objections_to_decide(session: Session, viewer: scope.Viewer) -> list[Penilaian]:
    """Objections waiting for the viewer as atasan pejabat penilai (admin BKPSDM: those whose
    pejabat penilai has no atasan in the app)."""
    if viewer.is_admin:
        query = select(Penilaian).where(Penilaian.id.in_(decided_by_tim_penilai("keberatan")))
    elif viewer.pegawai_id is not None:
        # Materialised: merged into the query, each branch would be asked the status and
        # walk every objection of the city.
        mine = decided_by(viewer.pegawai_id).cte("mine").prefix_with("MATERIALIZED")
        query = (
            select(Penilaian)
            .join(mine, mine.c.id == Penilaian.id)
            .where(Penilaian.status == "keberatan")
        )
    else:
        return []
    return list(
        session.execute(query.options(*LISTED).order_by(Penilaian.ditanggapi_pada)).scalars()
    )


def of_skp(session: Session, skp_id: int) -> list[Penilaian]:
    """The evaluations of an SKP in calendar order (tw1…tw4, then tahunan)."""
    rows = session.execute(
        select(Penilaian)
        .join(Penilaian.periode)
        .options(contains_eager(Penilaian.periode))
        .where(Penilaian.skp_id == skp_id)
        .order_by(Periode.tanggal_selesai, Periode.jenis.desc())
    ).scalars()
    return list(rows)


def explain(penilaian: Penilaian) -> dict[str, Any] | None:
    """How the predikat was reached: both ratings, the matrix cell, who and when."""
    if penilaian.predikat is None:
        return None
    return {
        "rating_hasil_kerja": penilaian.rating_hasil_kerja,
        "rating_perilaku_kerja": penilaian.rating_perilaku_kerja,
        "cell": (penilaian.rating_hasil_kerja, penilaian.rating_perilaku_kerja),
        "predikat": penilaian.predikat,
        "oleh": penilaian.diputus_oleh or penilaian.penilai,
        "pada": penilaian.diputus_pada or penilaian.dinilai_pada,
        "final": penilaian.status == "final",
    }


def of_pegawai(session: Session, pegawai_id: int | None) -> list[Penilaian]:
    """A pegawai's own evaluations, newest periode first."""
    if pegawai_id is None:
        return []
    return list(
        session.execute(
            select(Penilaian)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Skp.pegawai_id == pegawai_id, Penilaian.status != "belum_dinilai")
            .options(*LISTED)
            .order_by(Periode.tanggal_selesai.desc(), Periode.jenis)
        ).scalars()
    )


def realisasi_rows(session: Session, penilaian: Penilaian) -> list[dict[str, Any]]:
    """Every indikator of the SKP with its target, the realisasi for this periode, its
    capaian (None for a target or realisasi in words) and its bukti dukung, in two
    statements whatever the number of indikator."""
    rows = session.execute(
        select(RencanaHasilKerja, IndikatorKinerja, Realisasi)
        .join(IndikatorKinerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
        .outerjoin(
            Realisasi,
            (Realisasi.indikator_kinerja_id == IndikatorKinerja.id)
            & (Realisasi.periode_id == penilaian.periode_id),
        )
        .where(RencanaHasilKerja.skp_id == penilaian.skp_id)
        .options(selectinload(Realisasi.bukti))
        .order_by(RencanaHasilKerja.urutan, RencanaHasilKerja.id, IndikatorKinerja.id)
    ).all()
    return [
        {
            "rhk": rhk,
            "indikator": indikator,
            "realisasi": realisasi,
            "capaian": capaian_rule.capaian(
                indikator.aspek, indikator.target, realisasi.nilai if realisasi else None
            ),
            "lower_is_better": capaian_rule.lower_is_better(indikator.aspek),
        }
        for rhk, indikator, realisasi in rows
    ]


def periods_beside(session: Session, penilaian: Penilaian) -> list[Penilaian]:
    """For an annual evaluation, the four periodic ones of the same pegawai and year."""
    if penilaian.periode.jenis != "tahunan":
        return []
    return list(
        session.execute(
            select(Penilaian)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(
                Skp.pegawai_id == penilaian.skp.pegawai_id,
                Periode.tahun == penilaian.periode.tahun,
                Periode.jenis != "tahunan",
            )
            .order_by(Periode.tanggal_mulai)
        ).scalars()
    )
