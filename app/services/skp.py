"""SKP use cases: the only code that changes an SKP's state (ARCHITECTURE.md rule 3).

Each function authorizes by relation, applies the domain rule, writes, and leaves the commit
to the caller, so the HTML views and the REST API behave the same.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, false, func, select, union, union_all
from sqlalchemy.orm import Session, joinedload, object_session, selectinload

from app.domain import enums, skp_form, workflow
from app.domain.berakhlak import BY_URUTAN
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole, TransitionRefused
from app.models.master import Pegawai, Periode
from app.models.skp import IndikatorKinerja, PerilakuKerja, RencanaHasilKerja, Skp, SkpRiwayat
from app.security import acting as acting_posts
from app.security import scope
from app.services import atas_nama, pihak
from app.services import penilaian as penilaian_service
from app.services.errors import NotFound, checked_id, checked_text, stale
from app.services.notifikasi import notify
from app.services.paging import Halaman, page_of


def get_visible(session: Session, skp_id: int, viewer: scope.Viewer) -> Skp:
    """The SKP if the viewer may see it; NotFound otherwise (never its content)."""
    return scope.get(session, Skp, skp_id, viewer, N_("SKP not found."))


# What the SKP page shows of an SKP besides its parties, each read by one statement whatever
# the number of RHK (a lazy load per RHK made its indikator and the atasan's RHK it intervenes
# one statement each).
_DOCUMENT = (
    *pihak.OF_SKP,
    joinedload(Skp.periode),
    selectinload(Skp.perilaku_kerja),
    selectinload(Skp.rencana_hasil_kerja).options(
        selectinload(RencanaHasilKerja.indikator), joinedload(RencanaHasilKerja.intervensi)
    ),
    selectinload(Skp.riwayat).joinedload(SkpRiwayat.oleh),
)


def document(session: Session, skp_id: int, viewer: scope.Viewer) -> Skp:
    """The SKP for its page, if the viewer may see it, with all the page shows of it."""
    return scope.get(session, Skp, skp_id, viewer, N_("SKP not found."), options=_DOCUMENT)


def relations(skp: Skp, viewer: scope.Viewer) -> set[str]:
    """How the viewer stands to the SKP: its owner and/or its pejabat penilai — admin BKPSDM
    is the pejabat penilai of an SKP whose penilai is not an ASN, acting on their behalf; a
    Plt/Plh is while their assignment covers the penilai's post."""
    found = set()
    me = viewer.pegawai_id
    if me is not None and skp.pegawai_id == me:
        found.add(workflow.OWNER)
    penilai = skp.penilai_id or skp.pegawai.penilai_id
    if me is not None and penilai == me:
        found.add(workflow.PENILAI)
    if on_behalf_of(skp, viewer) or acting_for(skp, viewer):
        found.add(workflow.PENILAI)
    return found


def acting_for(skp: Skp, viewer: scope.Viewer) -> acting_posts.Acting | None:
    """The Plt/Plh assignment under which the viewer stands in for the SKP's pejabat
    penilai (None when they are the penilai themselves, or cover no such post)."""
    penilai = skp.penilai_id or skp.pegawai.penilai_id
    if not viewer.acting or penilai == viewer.pegawai_id or skp.pegawai_id == viewer.pegawai_id:
        return None
    return acting_posts.covering(object_session(skp), viewer.acting, skp.pegawai_id, penilai)


def on_behalf_of(skp: Skp, viewer: scope.Viewer) -> str | None:
    """The non-ASN official the viewer (admin BKPSDM) acts for on this SKP, if any."""
    return atas_nama.official_of(skp.pegawai, skp.penilai_id or skp.pegawai.penilai_id, viewer)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def touch(skp: Skp) -> None:
    """Mark the SKP changed: its row is UPDATEd (and its version bumped) even when only a
    child row changes, so a concurrent approve and edit cannot both win."""
    skp.diubah_pada = _now()


def _check_version(skp: Skp, expected_version: int | None) -> None:
    if expected_version is not None and skp.version_id != expected_version:
        raise stale()


def check_ready_to_submit(skp: Skp) -> None:
    """An SKP goes to the atasan only complete: RHK with indikator, each RHK cascaded; the
    form's own fields filled (a JPT's perspektif and manual indikator, a kualitatif target in
    words), also where a row was written before the approach changed."""
    if not skp.rencana_hasil_kerja:
        raise DomainError(N_("Add at least one work result plan (RHK) before submitting."))
    for rhk in skp.rencana_hasil_kerja:
        if not rhk.indikator:
            raise DomainError(
                N_("Work result plan '%(rhk)s' has no performance indicator."), rhk=rhk.uraian
            )
        if skp.model == skp_form.JPT and rhk.perspektif is None:
            raise DomainError(
                N_("Work result plan '%(rhk)s' has no perspective."),
                field="perspektif",
                rhk=rhk.uraian,
            )
        for indikator in rhk.indikator:
            if skp_form.incomplete_field(
                skp.model,
                skp.pendekatan,
                indikator.target,
                indikator.target_uraian,
                indikator.manual_indikator,
            ):
                raise DomainError(
                    N_(
                        "Indicator '%(indikator)s' of work result plan '%(rhk)s' is not "
                        "complete for this SKP's form and approach; complete or delete it."
                    ),
                    indikator=indikator.uraian,
                    rhk=rhk.uraian,
                )
        check_linked(skp, rhk.uraian, rhk.intervensi_id, rhk.penugasan_dari)


def check_linked(
    skp: Skp,
    uraian: str | None,
    intervensi_id: int | None,
    penugasan_dari: str | None,
    field: str | None = None,
) -> None:
    """Every RHK, utama or tambahan, intervenes an RHK of the atasan's SKP — or, for whoever
    may, names its penugasan (DOMAIN.md, The SKP): checked at submission, and by the RHK form
    as soon as the atasan's SKP can be linked to."""
    if intervensi_id is None and not (penugasan_dari and may_name_penugasan(skp.pegawai)):
        raise DomainError(
            N_("Work result plan '%(rhk)s' is not linked to a work result of your supervisor."),
            field=field,
            rhk=uraian,
        )


def _transition(
    session: Session,
    skp: Skp,
    action: str,
    viewer: scope.Viewer,
    catatan: str | None,
    dokumen: atas_nama.Dokumen | None = None,
) -> SkpRiwayat:
    old = skp.status
    skp.status = workflow.next_skp_state(old, action, relations(skp, viewer))
    touch(skp)
    official = on_behalf_of(skp, viewer) if action != "submit" else None
    acting = acting_for(skp, viewer) if action != "submit" else None
    # Approving for someone else needs their signature on paper; a return is a note. A
    # Plt/Plh acts in their own name under their SK: the act names the post.
    stored, shown = atas_nama.signed_document(
        session, dokumen if official else None, required=bool(official) and action == "approve"
    )
    riwayat = SkpRiwayat(
        skp=skp,
        aksi=action,
        dari=old,
        ke=skp.status,
        oleh_id=viewer.pegawai_id,
        waktu=_now(),
        catatan=catatan,
        atas_nama=acting.signed_as if acting else official,
        penugasan_id=acting.penugasan_id if acting else None,
        dokumen=stored,
        dokumen_nama=shown,
    )
    session.add(riwayat)
    return riwayat


def submit(
    session: Session, skp_id: int, viewer: scope.Viewer, expected_version: int | None = None
) -> Skp:
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    if workflow.OWNER not in relations(skp, viewer):
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.OWNER])
    if not workflow.skp_is_editable(skp.status):
        raise TransitionRefused(N_("This SKP has already been submitted or approved."))
    check_ready_to_submit(skp)
    penilai = skp.pegawai.penilai_id
    # A vacant head post is covered by its Plt/Plh; a non-ASN official's SKPs wait in admin
    # BKPSDM's inbox.
    acting = acting_posts.acting_officials(session, skp.pegawai_id, penilai)
    if penilai is None and not skp.pegawai.penilai_non_asn and not acting:
        raise DomainError(N_("You have no appraising official; ask BKPSDM to set your supervisor."))
    skp.penilai_id = penilai
    _transition(session, skp, "submit", viewer, None)
    skp.diajukan_pada = _now()
    for recipient in filter(None, (penilai, *acting)):
        notify(
            session,
            recipient,
            "skp_diajukan",
            N_("%(nama)s submitted an SKP for your approval."),
            f"/skp/{skp.id}",
            nama=skp.pegawai.nama_lengkap,
        )
    return skp


def approve(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    catatan: str | None = None,
    expected_version: int | None = None,
    dokumen: atas_nama.Dokumen | None = None,
) -> Skp:
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    riwayat = _transition(
        session, skp, "approve", viewer, checked_text(catatan, "catatan"), dokumen
    )
    header = pihak.header_of(skp)
    if riwayat.penugasan_id is not None:  # signed by the Plt/Plh, as "Plt. <post>"
        signer = pihak.party_header(session.get(Pegawai, viewer.pegawai_id))
        header["penilai"] = {**(signer or {}), "jabatan": riwayat.atas_nama}
    skp.snapshot = header
    skp.disetujui_pada = _now()
    penilaian_service.create_for_approved(session, skp)
    notify(
        session,
        skp.pegawai_id,
        "skp_disetujui",
        N_("Your SKP for %(tahun)s was approved."),
        f"/skp/{skp.id}",
        tahun=skp.periode.tahun,
    )
    return skp


def return_(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    catatan: str | None,
    expected_version: int | None = None,
    dokumen: atas_nama.Dokumen | None = None,
) -> Skp:
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    note = checked_text(catatan, "catatan", required=True)
    _transition(session, skp, "return", viewer, note, dokumen)
    notify(
        session,
        skp.pegawai_id,
        "skp_dikembalikan",
        N_("Your SKP for %(tahun)s was returned: %(catatan)s"),
        f"/skp/{skp.id}",
        tahun=skp.periode.tahun,
        catatan=note,
    )
    return skp


def pengembalian(skp: Skp) -> SkpRiwayat | None:
    """Why a returned SKP came back: the return that put it in ``dikembalikan`` (its catatan,
    who, when); None for an SKP in any other state."""
    if skp.status != "dikembalikan":
        return None
    returns = [entry for entry in skp.riwayat if entry.aksi == "return"]
    return max(returns, key=lambda entry: (entry.waktu, entry.id), default=None)


def check_new_skp(session: Session, skp: Skp) -> None:
    """One SKP per pegawai per year (a revision adds a version) on an annual period."""
    periode = session.get(Periode, skp.periode_id) if skp.periode_id is not None else None
    if periode is None or periode.jenis != "tahunan":
        raise DomainError(N_("An SKP is drawn up for an annual period."), field="periode_id")
    if not periode.aktif:
        raise DomainError(
            N_("An SKP is drawn up for the active year only (%(tahun)s is not active)."),
            field="periode_id",
            tahun=periode.tahun,
        )
    existing = session.execute(
        select(Skp.id).where(Skp.pegawai_id == skp.pegawai_id, Skp.periode_id == skp.periode_id)
    ).first()
    if existing:
        raise DomainError(
            N_("You already have an SKP for %(tahun)s."), field="periode_id", tahun=periode.tahun
        )


def may_name_penugasan(pegawai: Pegawai) -> bool:
    """A JPT (or whoever has no pejabat penilai) cascades from a penugasan, e.g. from the
    Wali Kota, instead of from an atasan's RHK (DOMAIN.md, The SKP)."""
    jpt = pegawai.jabatan is not None and pegawai.jabatan.jenis == "jpt"
    return jpt or pegawai.penilai_id is None


def check_cascade(
    session: Session, skp: Skp, intervensi_id: int | None, penugasan_dari: str | None
) -> None:
    if penugasan_dari and not may_name_penugasan(skp.pegawai):
        raise DomainError(
            N_(
                "Only a high leadership official (JPT) names an assignment; link the work "
                "result of your supervisor instead."
            ),
            field="penugasan_dari",
        )
    check_intervensi(session, skp, intervensi_id)


def check_intervensi(session: Session, skp: Skp, intervensi_id: int | None) -> None:
    """An RHK may only intervene an RHK of the atasan's SKP of the same year that is
    submitted or approved (cascading, DOMAIN.md)."""
    if intervensi_id is None:
        return
    target = session.get(RencanaHasilKerja, intervensi_id)
    atasan_id = skp.pegawai.penilai_id
    if (
        target is None
        or target.skp.pegawai_id != atasan_id
        or target.skp.periode_id != skp.periode_id
        or target.skp.status not in ("diajukan", "disetujui")
    ):
        raise DomainError(
            N_(
                "Only a work result of your supervisor's submitted or approved SKP of the same "
                "year can be intervened."
            ),
            field="intervensi_id",
        )


def check_editable_by_owner(skp: Skp, viewer: scope.Viewer) -> None:
    """RHK, indikator and lampiran change only by the owner while draft or returned."""
    if skp.pegawai_id != viewer.pegawai_id:
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.OWNER])
    if not workflow.skp_is_editable(skp.status):
        raise TransitionRefused(N_("This SKP can no longer be changed in its current status."))


# --- drafting ---------------------------------------------------------------------------


def active_year(session: Session) -> Periode | None:
    return session.execute(
        select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
    ).scalar_one_or_none()


def latest_skp(session: Session, pegawai_id: int, periode_id: int) -> Skp | None:
    """The newest version of a pegawai's SKP for a year (a revision supersedes the old one)."""
    return session.execute(
        select(Skp)
        .where(Skp.pegawai_id == pegawai_id, Skp.periode_id == periode_id)
        .order_by(Skp.versi.desc())
        .limit(1)
    ).scalar_one_or_none()


def atasan_skp(session: Session, skp: Skp) -> Skp | None:
    """The pejabat penilai's SKP of the same year that RHK may be cascaded from."""
    penilai_id = skp.pegawai.penilai_id
    if penilai_id is None:
        return None
    found = latest_skp(session, penilai_id, skp.periode_id)
    return found if found is not None and found.status in ("diajukan", "disetujui") else None


def intervensi_options(session: Session, skp: Skp) -> list[RencanaHasilKerja]:
    """The atasan's RHK this SKP may intervene (submitted or approved SKP, same year)."""
    source = atasan_skp(session, skp)
    return list(source.rencana_hasil_kerja) if source else []


def _new_skp(
    pegawai: Pegawai, periode_id: int, pendekatan: str, versi: int = 1, model: str | None = None
) -> Skp:
    """A draft SKP; its form (``model``) follows the owner's jabatan unless given (a revision
    keeps the form of the version it revises)."""
    if model is None:
        model = skp_form.skp_model(pegawai.jabatan.jenis if pegawai.jabatan else None)
    return Skp(
        pegawai=pegawai,
        pegawai_id=pegawai.id,
        periode_id=periode_id,
        pendekatan=pendekatan,
        model=model,
        status="draft",
        versi=versi,
        penilai_id=pegawai.penilai_id,
    )


def _copy_rhk(session: Session, source: Skp, target: Skp, relink: bool) -> None:
    """Copy RHK and indikator; with ``relink`` keep an intervensi only where the atasan's
    RHK of the target's year still carries the same uraian (carry-forward to a new year).
    Perspektif and manual indikator come along into a JPT SKP only (a pegawai who left a
    JPT post fills the non-JPT form; one who took one adds them before submitting)."""
    jpt = target.model == skp_form.JPT
    options = {rhk.uraian: rhk for rhk in intervensi_options(session, target)} if relink else {}
    for urutan, rhk in enumerate(source.rencana_hasil_kerja):
        if relink:
            linked = options.get(rhk.intervensi.uraian) if rhk.intervensi else None
            intervensi = linked.id if linked else None
        else:
            intervensi = rhk.intervensi_id
        copy = RencanaHasilKerja(
            jenis=rhk.jenis,
            uraian=rhk.uraian,
            intervensi_id=intervensi,
            penugasan_dari=rhk.penugasan_dari,
            perspektif=rhk.perspektif if jpt else None,
            urutan=urutan,
        )
        copy.indikator = [
            IndikatorKinerja(
                aspek=i.aspek,
                uraian=i.uraian,
                target=i.target,
                target_uraian=i.target_uraian,
                satuan=i.satuan,
                manual_indikator=dict(i.manual_indikator) if jpt and i.manual_indikator else None,
            )
            for i in rhk.indikator
        ]
        target.rencana_hasil_kerja.append(copy)


LAMPIRAN = ("dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi")


def _owner_of_new_skp(session: Session, viewer: scope.Viewer, pegawai_id: int | None) -> Pegawai:
    """Whose SKP is being started: one's own; admin BKPSDM may start anyone's."""
    if pegawai_id is None or pegawai_id == viewer.pegawai_id:
        if viewer.pegawai_id is None:
            raise NotYourRole(N_("Your account is not linked to an employee."))
        return session.get(Pegawai, viewer.pegawai_id)
    if not viewer.is_admin:
        raise NotYourRole(N_("You may only draw up your own SKP."), field="pegawai_id")
    owner = session.get(Pegawai, pegawai_id)
    if owner is None:
        raise DomainError(
            N_("The referenced record does not exist: %(column)s = %(id)s."),
            field="pegawai_id",
            column="pegawai_id",
            id=pegawai_id,
        )
    return owner


def create_skp(
    session: Session,
    viewer: scope.Viewer,
    periode_id: Any,
    pendekatan: str = "kuantitatif",
    carry_forward: bool = False,
    pegawai_id: Any = None,
    lampiran: dict[str, Any] | None = None,
) -> Skp:
    """Start a pegawai's SKP for the active year, optionally from last year's: the signed-in
    pegawai's own, or (admin BKPSDM) anyone's named by ``pegawai_id``."""
    owner = _owner_of_new_skp(session, viewer, checked_id(pegawai_id, "pegawai_id"))
    if pendekatan not in enums.PENDEKATAN:
        raise DomainError(N_("Choose a valid approach."), field="pendekatan")
    skp = _new_skp(owner, checked_id(periode_id, "periode_id"), pendekatan)
    check_new_skp(session, skp)
    for field in LAMPIRAN:
        if lampiran and field in lampiran:
            setattr(skp, field, checked_text(lampiran[field], field))
    session.add(skp)
    if carry_forward:
        previous = previous_year_skp(session, skp)
        if previous is None:
            raise DomainError(N_("There is no SKP of last year to start from."))
        _copy_rhk(session, previous, skp, relink=True)
    session.flush()
    return skp


def previous_year_skp(session: Session, skp: Skp) -> Skp | None:
    return previous_year_skp_of(session, skp.pegawai_id, session.get(Periode, skp.periode_id))


def revise(session: Session, skp_id: int, viewer: scope.Viewer) -> Skp:
    """A revision of an approved SKP: a new draft version; the approved one stays as it is."""
    old = get_visible(session, skp_id, viewer)
    if old.pegawai_id != viewer.pegawai_id:
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.OWNER])
    newest = latest_skp(session, old.pegawai_id, old.periode_id)
    if old.status != "disetujui" or newest.id != old.id:
        raise TransitionRefused(N_("Only the latest approved SKP can be revised."))
    skp = _new_skp(
        old.pegawai, old.periode_id, old.pendekatan, versi=old.versi + 1, model=old.model
    )
    skp.revisi_dari_id = old.id
    skp.berlaku_mulai = old.berlaku_mulai  # the SKP of a post taken mid-year (a mutasi)
    skp.dukungan_sumber_daya = old.dukungan_sumber_daya
    skp.skema_pertanggungjawaban = old.skema_pertanggungjawaban
    skp.konsekuensi = old.konsekuensi
    session.add(skp)
    _copy_rhk(session, old, skp, relink=False)
    skp.perilaku_kerja = [
        PerilakuKerja(nilai=p.nilai, ekspektasi_khusus=p.ekspektasi_khusus)
        for p in old.perilaku_kerja
    ]
    session.flush()
    return skp


def editable_skp(
    session: Session, skp_id: int, viewer: scope.Viewer, version: int | None = None
) -> Skp:
    """The viewer's own SKP, still draft or returned, marked as being changed."""
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, version)
    check_editable_by_owner(skp, viewer)
    touch(skp)
    return skp


def update_lampiran(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Skp:
    skp = editable_skp(session, skp_id, viewer, expected_version)
    if "pendekatan" in data:
        if data["pendekatan"] not in enums.PENDEKATAN:
            raise DomainError(N_("Choose a valid approach."), field="pendekatan")
        skp.pendekatan = data["pendekatan"]
    for field in LAMPIRAN:
        if field in data:
            setattr(skp, field, checked_text(data[field], field))
    return skp


def add_rhk(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    jenis: str,
    uraian: str,
    intervensi_id: int | None,
    penugasan_dari: str | None,
    perspektif: str | None = None,
) -> RencanaHasilKerja:
    skp = editable_skp(session, skp_id, viewer, None)
    rhk = RencanaHasilKerja(urutan=len(skp.rencana_hasil_kerja))
    _fill_rhk(session, skp, rhk, jenis, uraian, intervensi_id, penugasan_dari, perspektif)
    skp.rencana_hasil_kerja.append(rhk)
    session.flush()
    return rhk


def update_rhk(
    session: Session, rhk_id: int, viewer: scope.Viewer, data: dict[str, Any]
) -> RencanaHasilKerja:
    """Change an RHK of one's draft or returned SKP; fields not in ``data`` stay."""
    rhk = _owned_rhk(session, rhk_id, viewer)
    _fill_rhk(
        session,
        rhk.skp,
        rhk,
        data.get("jenis", rhk.jenis),
        data.get("uraian", rhk.uraian),
        data.get("intervensi_id", rhk.intervensi_id),
        data.get("penugasan_dari", rhk.penugasan_dari),
        data.get("perspektif", rhk.perspektif),
    )
    session.flush()
    return rhk


def _fill_rhk(
    session: Session,
    skp: Skp,
    rhk: RencanaHasilKerja,
    jenis: Any,
    uraian: Any,
    intervensi_id: Any,
    penugasan_dari: Any,
    perspektif: Any = None,
) -> None:
    if jenis not in enums.JENIS_RHK:
        raise DomainError(N_("Choose main or additional."), field="jenis")
    intervensi = checked_id(intervensi_id, "intervensi_id")
    penugasan = checked_text(penugasan_dari, "penugasan_dari", maximum=200)
    check_cascade(session, skp, intervensi, penugasan)
    text = checked_text(uraian, "uraian", required=True)
    # A pegawai may draft before the atasan's SKP exists (DOMAIN.md); once it is there to
    # link to, the form asks for the link now rather than at submission.
    if atasan_skp(session, skp) is not None:
        check_linked(skp, text, intervensi, penugasan, field="intervensi_id")
    rhk.jenis = jenis
    rhk.uraian = text
    rhk.intervensi_id = intervensi
    rhk.penugasan_dari = penugasan
    rhk.perspektif = skp_form.checked_perspektif(skp.model, perspektif)


def _owned_rhk(session: Session, rhk_id: int, viewer: scope.Viewer) -> RencanaHasilKerja:
    rhk = session.get(RencanaHasilKerja, rhk_id)
    if rhk is None:
        raise NotFound(N_("Work result plan not found."))
    editable_skp(session, rhk.skp_id, viewer, None)
    return rhk


def delete_rhk(session: Session, rhk_id: int, viewer: scope.Viewer) -> Skp:
    rhk = _owned_rhk(session, rhk_id, viewer)
    skp = rhk.skp
    skp.rencana_hasil_kerja.remove(rhk)
    return skp


def add_indikator(
    session: Session,
    rhk_id: int,
    viewer: scope.Viewer,
    aspek: str,
    uraian: str,
    target: Any,
    satuan: str,
    target_uraian: Any = None,
    manual_indikator: Any = None,
) -> IndikatorKinerja:
    """Add an indikator to an RHK of one's draft or returned SKP. ``manual_indikator`` is
    an object keyed by enums.MANUAL_INDIKATOR (a JPT SKP's only)."""
    rhk = _owned_rhk(session, checked_id(rhk_id, "rencana_hasil_kerja_id"), viewer)
    indikator = IndikatorKinerja()
    _fill_indikator(
        rhk.skp, indikator, aspek, uraian, target, satuan, target_uraian, manual_indikator
    )
    rhk.indikator.append(indikator)
    session.flush()
    return indikator


def update_indikator(
    session: Session, indikator_id: int, viewer: scope.Viewer, data: dict[str, Any]
) -> IndikatorKinerja:
    """Change an indikator of one's draft or returned SKP; fields not in ``data`` stay (the
    manual indikator is one field: given, it replaces the whole manual)."""
    indikator = _owned_indikator(session, indikator_id, viewer)
    _fill_indikator(
        indikator.rencana_hasil_kerja.skp,
        indikator,
        data.get("aspek", indikator.aspek),
        data.get("uraian", indikator.uraian),
        data.get("target", indikator.target),
        data.get("satuan", indikator.satuan),
        data.get("target_uraian", indikator.target_uraian),
        data.get("manual_indikator", indikator.manual_indikator),
    )
    session.flush()
    return indikator


def _fill_indikator(
    skp: Skp,
    indikator: IndikatorKinerja,
    aspek: Any,
    uraian: Any,
    target: Any,
    satuan: Any,
    target_uraian: Any,
    manual_indikator: Any,
) -> None:
    if aspek not in enums.ASPEK:
        raise DomainError(N_("Choose a valid aspect."), field="aspek")
    indikator.aspek = aspek
    indikator.uraian = checked_text(uraian, "uraian", required=True)
    number = _target_of(skp, target)
    words = skp_form.checked_words(target_uraian, "target_uraian")
    skp_form.check_target(skp.pendekatan, number, words)
    indikator.target = number
    indikator.target_uraian = words
    # A number needs its unit (12 dokumen); a target in words alone may have none.
    unit = checked_text(satuan, "satuan", required=number is not None, maximum=40)
    indikator.satuan = unit or ""
    indikator.manual_indikator = skp_form.checked_manual_indikator(skp.model, manual_indikator)


def _target_of(skp: Skp, value: Any) -> Decimal | None:
    """The numeric target as given: required by a kuantitatif SKP, optional in a kualitatif
    one (whose target is described in words)."""
    blank = value is None or isinstance(value, str) and not value.strip()
    if blank and not skp_form.target_is_required(skp.pendekatan):
        return None
    return parse_target(value)


def _owned_indikator(session: Session, indikator_id: int, viewer: scope.Viewer) -> IndikatorKinerja:
    indikator = session.get(IndikatorKinerja, indikator_id)
    if indikator is None:
        raise NotFound(N_("Indicator not found."))
    _owned_rhk(session, indikator.rencana_hasil_kerja_id, viewer)
    return indikator


def delete_indikator(session: Session, indikator_id: int, viewer: scope.Viewer) -> Skp:
    indikator = _owned_indikator(session, indikator_id, viewer)
    rhk = indikator.rencana_hasil_kerja
    rhk.indikator.remove(indikator)
    return rhk.skp


TARGET_STEP = Decimal("0.01")


def parse_target(value: Any) -> Decimal:
    """A target is a number greater than zero (e.g. 12 dokumen, 100 %, 3 bulan)."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(N_("The target must be a number."), field="target") from None
    if not number.is_finite() or number <= 0 or number >= Decimal("1e12"):
        raise DomainError(N_("The target must be a number greater than zero."), field="target")
    # Stored with two decimals (Numeric(14, 2)): 0.001 would be kept as 0.00.
    number = number.quantize(TARGET_STEP)
    if number <= 0 or number >= Decimal("1e12"):
        raise DomainError(N_("The target must be a number greater than zero."), field="target")
    return number


def set_ekspektasi(
    session: Session,
    skp_id: int,
    viewer: scope.Viewer,
    ekspektasi: dict[int, str | None],
    expected_version: int | None = None,
) -> Skp:
    """The pejabat penilai writes the ekspektasi khusus per BerAKHLAK value before approving."""
    skp = get_visible(session, skp_id, viewer)
    _check_version(skp, expected_version)
    if workflow.PENILAI not in relations(skp, viewer):
        raise NotYourRole(
            N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.PENILAI]
        )
    if skp.status in ("disetujui", workflow.SKP_CLOSED):
        raise TransitionRefused(N_("This SKP can no longer be changed in its current status."))
    existing = {p.nilai: p for p in skp.perilaku_kerja}
    for nilai, text in ekspektasi.items():
        if nilai not in BY_URUTAN:
            continue
        value = checked_text(text, f"ekspektasi_{nilai}")
        if nilai in existing:
            existing[nilai].ekspektasi_khusus = value
        else:
            skp.perilaku_kerja.append(PerilakuKerja(nilai=nilai, ekspektasi_khusus=value))
    touch(skp)
    return skp


# --- the atasan's inbox -----------------------------------------------------------------


def in_inbox_of(query: Select, viewer: scope.Viewer) -> Select:
    """The SKPs (past draft) whose pejabat penilai is the viewer: the one fixed on the SKP at
    submission, else the owner's (``Pegawai.penilai_id``: the override, else the atasan
    langsung); for admin BKPSDM also those of a non-ASN pejabat penilai; for a Plt/Plh those
    of the post they cover. One indexed look-up
    per case in a UNION: as one OR, the database walks every submitted SKP of the city
    (benchmarks/results-sqlite.md)."""
    not_fixed = (
        select(Skp.id).join(Pegawai, Skp.pegawai_id == Pegawai.id).where(Skp.penilai_id.is_(None))
    )

    def appraised_by(penilai: int | None) -> list[Select]:
        return [
            select(Skp.id).where(Skp.penilai_id == penilai),
            *(not_fixed.where(case) for case in Pegawai.penilai_cases(lambda c: c == penilai)),
        ]

    branches = appraised_by(viewer.pegawai_id) if viewer.pegawai_id is not None else []
    if viewer.is_admin:  # on behalf of a non-ASN pejabat penilai
        branches.append(not_fixed.where(*Pegawai.has_penilai_non_asn()))
    for post in viewer.acting:  # the covered post's, while a Plt/Plh assignment runs
        if post.menggantikan_id is not None:
            branches += appraised_by(post.menggantikan_id)
        else:
            branches.append(
                not_fixed.where(Pegawai.id.in_(union_all(*acting_posts.staff_of(post))))
            )
    if not branches:
        return query.where(false())
    # Joined, not ``id IN (…)``: driven from the viewer's few SKPs, where the IN form walks
    # every SKP of the status asked for.
    mine = union(*branches).subquery("inbox")
    return query.join(mine, mine.c.id == Skp.id).where(Skp.status != "draft")


def inbox(session: Session, viewer: scope.Viewer, status: str, nomor: int = 1) -> Halaman:
    """SKPs in ``status`` whose pejabat penilai is the viewer, newest submission first, one
    page at a time (an atasan of a large unit may have hundreds)."""
    query = (
        in_inbox_of(select(Skp), viewer)
        .where(Skp.status == status)
        .options(selectinload(Skp.pegawai), selectinload(Skp.periode))
        .order_by(Skp.diajukan_pada.desc().nulls_last(), Skp.id.desc())
    )
    if viewer.pegawai_id is None and not viewer.is_admin:
        query = query.where(false())
    return page_of(session, query, nomor)


def inbox_counts(session: Session, viewer: scope.Viewer) -> dict[str, int]:
    counts = {state: 0 for state in ("diajukan", "dikembalikan", "disetujui")}
    if viewer.pegawai_id is None and not viewer.is_admin:
        return counts
    query = in_inbox_of(select(Skp.status, func.count(Skp.id)), viewer).group_by(Skp.status)
    counts.update(dict(session.execute(query).all()))
    return counts


def bulk_approve(session: Session, ids: list[int], viewer: scope.Viewer) -> list[Skp]:
    """Approve several SKPs at once; any id outside the scope fails the whole batch (404)."""
    return [approve(session, skp_id, viewer) for skp_id in ids]


# --- reading ----------------------------------------------------------------------------


def own_skps(session: Session, viewer: scope.Viewer) -> list[Skp]:
    """Every SKP of the viewer, newest year and version first."""
    if viewer.pegawai_id is None:
        return []
    return list(
        session.execute(
            select(Skp)
            .join(Periode, Skp.periode_id == Periode.id)
            .where(Skp.pegawai_id == viewer.pegawai_id)
            .options(selectinload(Skp.periode))
            .order_by(Periode.tahun.desc(), Skp.versi.desc())
        ).scalars()
    )


def previous_year_skp_of(session: Session, pegawai_id: int, periode: Periode) -> Skp | None:
    last = session.execute(
        select(Periode.id).where(Periode.jenis == "tahunan", Periode.tahun == periode.tahun - 1)
    ).scalar()
    return latest_skp(session, pegawai_id, last) if last else None


def riwayat_with_document(session: Session, riwayat_id: int, viewer: scope.Viewer) -> SkpRiwayat:
    """A step of an SKP's history that carries a signed document, if the viewer may see the
    SKP; NotFound otherwise."""
    riwayat = session.get(SkpRiwayat, riwayat_id)
    if riwayat is None or riwayat.dokumen is None:
        raise NotFound(N_("Document not found."))
    get_visible(session, riwayat.skp_id, viewer)
    return riwayat


def skp_id_of_rhk(session: Session, rhk_id: int) -> int | None:
    return session.execute(
        select(RencanaHasilKerja.skp_id).where(RencanaHasilKerja.id == rhk_id)
    ).scalar()


def skp_id_of_indikator(session: Session, indikator_id: int) -> int | None:
    return session.execute(
        select(RencanaHasilKerja.skp_id)
        .join(IndikatorKinerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
        .where(IndikatorKinerja.id == indikator_id)
    ).scalar()
