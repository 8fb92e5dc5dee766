"""Realisasi and bukti dukung use cases (DOMAIN.md, Pelaksanaan): the only code that writes
them. Each function authorizes by relation and scope, applies the rule, writes, and leaves
the commit to the caller, so the HTML pages and the REST API behave the same.

The rules:
- realisasi are recorded per indikator of an approved SKP and per evaluation periode of its
  year (the periods that have a penilaian row: tw1…tw4 and tahunan);
- only the SKP's owner writes; whoever has the SKP in scope reads; out of scope is 404;
- a periode's realisasi and bukti change only while its penilaian is ``belum_dinilai``; once
  submitted they are what the pejabat penilai rates, and stay as they were;
- an indikator with a numeric target takes a number; one whose target is words only (a
  kualitatif SKP) takes the realisasi in words (``catatan``), a number optional, and has no
  capaian (app.domain.skp_form.check_realisasi, app.domain.capaian).
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import IO, Any
from urllib.parse import urlsplit

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session, selectinload

from app import uploads
from app.domain import capaian as capaian_rule
from app.domain import skp_form, workflow
from app.domain.enums import N_
from app.domain.errors import DomainError, NotYourRole, TransitionRefused
from app.models.monitoring import BuktiDukung, Realisasi
from app.models.penilaian import Penilaian
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope
from app.services import penilaian as penilaian_service
from app.services import skp as skp_service
from app.services import tahun as tahun_service
from app.services.errors import MAX_CATATAN, NotFound, checked_text, stale

MAX_URL = 2000  # BuktiDukung.url
MAX_KETERANGAN = 500  # BuktiDukung.keterangan
MAX_NILAI = Decimal("1e12")  # Numeric(14, 2)
WEB_SCHEMES = ("http", "https")
_CENT = Decimal("0.01")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One indikator on the realisasi page."""

    indikator: IndikatorKinerja
    realisasi: Realisasi | None
    capaian: Decimal | None
    lower_is_better: bool


@dataclass(frozen=True)
class RealisasiPage:
    skp: Skp
    penilaian: Penilaian
    groups: list[tuple[RencanaHasilKerja, list[Row]]]
    evaluations: list[Penilaian]  # every periode of the SKP, for moving between them
    is_owner: bool
    editable: bool
    missing: int  # indikator without a realisasi
    ditutup: bool = False  # its year is closed: read-only (app.services.tahun)


def _penilaian_of(session: Session, skp_id: int, periode_id: Any) -> Penilaian | None:
    return session.execute(
        select(Penilaian).where(Penilaian.skp_id == skp_id, Penilaian.periode_id == periode_id)
    ).scalar_one_or_none()


def page(session: Session, skp_id: int, periode_id: int, viewer: scope.Viewer) -> RealisasiPage:
    """Every indikator of the SKP with its target, the realisasi of the periode, its capaian
    and evidence; NotFound outside the scope or for a periode the SKP is not evaluated in."""
    skp = skp_service.get_visible(session, skp_id, viewer)
    penilaian = _penilaian_of(session, skp.id, periode_id)
    if penilaian is None:
        raise NotFound(N_("This SKP has no evaluation for that period."))
    rows = session.execute(
        select(RencanaHasilKerja, IndikatorKinerja, Realisasi)
        .join(IndikatorKinerja, IndikatorKinerja.rencana_hasil_kerja_id == RencanaHasilKerja.id)
        .outerjoin(
            Realisasi,
            and_(
                Realisasi.indikator_kinerja_id == IndikatorKinerja.id,
                Realisasi.periode_id == penilaian.periode_id,
            ),
        )
        .where(RencanaHasilKerja.skp_id == skp.id)
        .options(selectinload(Realisasi.bukti))
        .order_by(
            case((RencanaHasilKerja.jenis == "utama", 0), else_=1),
            RencanaHasilKerja.urutan,
            RencanaHasilKerja.id,
            IndikatorKinerja.id,
        )
    ).all()
    groups: list[tuple[RencanaHasilKerja, list[Row]]] = []
    for rhk, indikator, realisasi in rows:
        if not groups or groups[-1][0] is not rhk:
            groups.append((rhk, []))
        groups[-1][1].append(
            Row(
                indikator=indikator,
                realisasi=realisasi,
                capaian=capaian_rule.capaian(
                    indikator.aspek, indikator.target, realisasi.nilai if realisasi else None
                ),
                lower_is_better=capaian_rule.lower_is_better(indikator.aspek),
            )
        )
    is_owner = skp.pegawai_id == viewer.pegawai_id
    ditutup = tahun_service.is_closed(session, skp.periode.tahun)
    return RealisasiPage(
        skp=skp,
        penilaian=penilaian,
        groups=groups,
        evaluations=penilaian_service.of_skp(session, skp.id),
        is_owner=is_owner,
        editable=is_owner and penilaian.status == "belum_dinilai" and not ditutup,
        missing=sum(1 for _, group in groups for row in group if row.realisasi is None),
        ditutup=ditutup,
    )


def get_realisasi(session: Session, realisasi_id: Any, viewer: scope.Viewer) -> Realisasi:
    return scope.get(session, Realisasi, realisasi_id, viewer, N_("Realisation not found."))


def get_bukti(session: Session, bukti_id: Any, viewer: scope.Viewer) -> BuktiDukung:
    return scope.get(session, BuktiDukung, bukti_id, viewer, N_("Evidence not found."))


def skp_of(realisasi: Realisasi) -> Skp:
    return realisasi.indikator_kinerja.rencana_hasil_kerja.skp


def file_for_download(
    session: Session, bukti_id: Any, viewer: scope.Viewer
) -> tuple[BuktiDukung, str]:
    """An uploaded file and its path on disk, for whoever has its SKP in scope."""
    bukti = get_bukti(session, bukti_id, viewer)
    path = uploads.path_of(bukti.path) if bukti.jenis == "file" and bukti.path else None
    if path is None or not os.path.isfile(path):
        raise NotFound(N_("Evidence not found."))
    return bukti, path


# --- the rule every write passes --------------------------------------------------------


def _writable(session: Session, viewer: scope.Viewer, skp: Skp, periode_id: Any) -> Penilaian:
    """The penilaian whose realisasi the viewer is about to change, marked as changed: only
    the owner, only on an approved SKP, only before the periode is submitted."""
    if skp.pegawai_id != viewer.pegawai_id:
        raise NotYourRole(N_("Only %(actor)s may do this."), actor=workflow.ACTORS[workflow.OWNER])
    if skp.status != "disetujui":
        raise TransitionRefused(N_("Realisations can be recorded only on an approved SKP."))
    penilaian = _penilaian_of(session, skp.id, periode_id)
    if penilaian is None:
        raise DomainError(N_("Choose an evaluation period of this SKP's year."), field="periode_id")
    if penilaian.status != "belum_dinilai":
        raise TransitionRefused(
            N_(
                "The realisations of this period have been submitted for evaluation and can "
                "no longer be changed."
            )
        )
    # The penilaian row is UPDATEd (its version bumped) with every change of its realisasi,
    # so a submit racing an edit cannot both win: one of them meets a stale version.
    penilaian.diubah_pada = _now()
    return penilaian


def _writable_realisasi(
    session: Session, realisasi_id: Any, viewer: scope.Viewer, expected_version: int | None
) -> Realisasi:
    realisasi = get_realisasi(session, realisasi_id, viewer)
    if expected_version is not None and realisasi.version_id != expected_version:
        raise stale()
    _writable(session, viewer, skp_of(realisasi), realisasi.periode_id)
    return realisasi


def parse_nilai(value: Any) -> Decimal:
    """A realisasi is a number of zero or more ("12", "12.5" or "12,5"), kept to 2 decimals."""
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    if not text:
        raise DomainError(N_("Enter the realisation."), field="nilai")
    try:
        number = Decimal(text.replace(",", "."))
    except (InvalidOperation, ValueError):
        raise DomainError(N_("The realisation must be a number."), field="nilai") from None
    if not number.is_finite() or number < 0 or number >= MAX_NILAI:
        raise DomainError(N_("The realisation must be a number of zero or more."), field="nilai")
    return number.quantize(_CENT, rounding=ROUND_HALF_UP)


def _realisasi_of(indikator: IndikatorKinerja, nilai: Any, catatan: Any) -> dict[str, Any]:
    """The number and the words of a realisasi as stored, once the indikator's kind accepts
    them: no number is needed where the target is words only, but something is."""
    blank = nilai is None or isinstance(nilai, str) and not nilai.strip()
    number = None if blank and indikator.target is None else parse_nilai(nilai)
    words = _text(catatan, "catatan", MAX_CATATAN)
    skp_form.check_realisasi(indikator.target, number, words)
    return {"nilai": number, "catatan": words}


def _text(value: Any, field: str, maximum: int) -> str | None:
    if value is not None and not isinstance(value, str):  # e.g. a number in a JSON body
        raise DomainError(N_("This field must be text."), field=field)
    return checked_text(value, field, maximum=maximum)


def parse_url(value: Any) -> str:
    """A link to evidence is an absolute http(s) address of at most 2,000 characters."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise DomainError(N_("Enter the address of the evidence."), field="url")
    if len(text) > MAX_URL:
        raise DomainError(
            N_("The address may be at most %(max)d characters."), field="url", max=MAX_URL
        )
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        host = None
    if (
        host is None
        or parts.scheme.lower() not in WEB_SCHEMES
        or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in text)
    ):
        raise DomainError(
            N_("Only web addresses starting with http:// or https:// can be linked."),
            field="url",
        )
    return text


# --- realisasi --------------------------------------------------------------------------


def _indikator(session: Session, indikator_id: Any, viewer: scope.Viewer) -> IndikatorKinerja:
    return scope.get(session, IndikatorKinerja, indikator_id, viewer, N_("Indicator not found."))


def create(
    session: Session,
    viewer: scope.Viewer,
    indikator_id: Any,
    periode_id: Any,
    nilai: Any,
    catatan: Any = None,
) -> Realisasi:
    """Record the realisasi of an indikator for a periode (one per pair: a second is a 409;
    change the first instead)."""
    indikator = _indikator(session, indikator_id, viewer)
    penilaian = _writable(session, viewer, indikator.rencana_hasil_kerja.skp, periode_id)
    existing = session.execute(
        select(Realisasi.id).where(
            Realisasi.indikator_kinerja_id == indikator.id,
            Realisasi.periode_id == penilaian.periode_id,
        )
    ).first()
    if existing:
        raise TransitionRefused(
            N_("This indicator already has a realisation for this period; change it instead.")
        )
    realisasi = Realisasi(
        indikator_kinerja=indikator,
        periode_id=penilaian.periode_id,
        diubah_pada=_now(),
        **_realisasi_of(indikator, nilai, catatan),
    )
    session.add(realisasi)
    session.flush()
    return realisasi


def update(
    session: Session,
    viewer: scope.Viewer,
    realisasi_id: Any,
    nilai: Any,
    catatan: Any = None,
    expected_version: int | None = None,
) -> Realisasi:
    realisasi = _writable_realisasi(session, realisasi_id, viewer, expected_version)
    values = _realisasi_of(realisasi.indikator_kinerja, nilai, catatan)
    realisasi.nilai, realisasi.catatan = values["nilai"], values["catatan"]
    realisasi.diubah_pada = _now()
    session.flush()
    return realisasi


def record(
    session: Session,
    viewer: scope.Viewer,
    indikator_id: Any,
    periode_id: Any,
    nilai: Any,
    catatan: Any = None,
    expected_version: int | None = None,
) -> Realisasi:
    """Create or change the realisasi of an indikator for a periode (the page's one form)."""
    existing = session.execute(
        select(Realisasi.id).where(
            Realisasi.indikator_kinerja_id == indikator_id, Realisasi.periode_id == periode_id
        )
    ).scalar()
    if existing is None:
        return create(session, viewer, indikator_id, periode_id, nilai, catatan)
    return update(session, viewer, existing, nilai, catatan, expected_version)


@dataclass(frozen=True)
class Isian:
    """What the realisasi page sends for one indikator: the boxes as typed, and the version
    of the realisasi the page was rendered from (None when there was none)."""

    indikator_id: int
    nilai: Any
    catatan: Any
    version_id: int | None = None


class IndikatorRefused(DomainError):
    """One indikator's realisasi was refused while saving several: names the indikator, and
    carries the refusal itself (its own message, field and status)."""

    def __init__(self, indikator: IndikatorKinerja, reason: DomainError) -> None:
        super().__init__(
            N_("Indicator '%(indikator)s': %(reason)s"),
            field=reason.field,
            indikator=indikator.uraian,
            reason=str(reason),
        )
        self.status = reason.status
        self.indikator_id = indikator.id
        self.reason = reason


def _unchanged(indikator: IndikatorKinerja, realisasi: Realisasi | None, isian: Isian) -> bool:
    """Nothing to save: boxes left empty where there is no realisasi, or holding what is
    stored (``12`` and ``12,00`` are the same number)."""
    if realisasi is None:
        return not any(isinstance(v, str) and v.strip() for v in (isian.nilai, isian.catatan))
    try:
        values = _realisasi_of(indikator, isian.nilai, isian.catatan)
    except DomainError:
        return False
    return values == {"nilai": realisasi.nilai, "catatan": realisasi.catatan}


def record_changes(
    session: Session,
    viewer: scope.Viewer,
    skp_id: int,
    periode_id: int,
    isian: list[Isian],
) -> list[Realisasi]:
    """Save, in the caller's one transaction, every indikator whose boxes changed, each
    through ``record`` (the same rules as one at a time); the first refusal stops it all and
    names its indikator (IndikatorRefused), so nothing is half saved. An indikator of another
    SKP is NotFound."""
    data = page(session, skp_id, periode_id, viewer)
    _writable(session, viewer, data.skp, data.penilaian.periode_id)  # even when nothing changed
    rows = {row.indikator.id: row for _, group in data.groups for row in group}
    saved = []
    for item in isian:
        row = rows.get(item.indikator_id)
        if row is None:
            raise NotFound(N_("Indicator not found."))
        if _unchanged(row.indikator, row.realisasi, item):
            continue
        try:
            saved.append(
                record(
                    session,
                    viewer,
                    row.indikator.id,
                    data.penilaian.periode_id,
                    item.nilai,
                    item.catatan,
                    item.version_id,
                )
            )
        except DomainError as error:
            if isinstance(error, (NotFound, NotYourRole)):
                raise
            raise IndikatorRefused(row.indikator, error) from error
    return saved


def delete(session: Session, viewer: scope.Viewer, realisasi_id: Any) -> Realisasi:
    """Remove a realisasi with its evidence (files leave the disk after the commit)."""
    realisasi = _writable_realisasi(session, realisasi_id, viewer, None)
    session.delete(realisasi)
    session.flush()
    return realisasi


# --- bukti dukung -----------------------------------------------------------------------


def _bukti(
    realisasi: Realisasi, viewer: scope.Viewer, keterangan: Any, **fields: Any
) -> BuktiDukung:
    bukti = BuktiDukung(
        keterangan=_text(keterangan, "keterangan", MAX_KETERANGAN),
        diunggah_oleh_id=viewer.pegawai_id,
        diunggah_pada=_now(),
        **fields,
    )
    realisasi.bukti.append(bukti)
    return bukti


def add_file(
    session: Session,
    viewer: scope.Viewer,
    realisasi_id: Any,
    stream: IO[bytes] | None,
    filename: str | None,
    keterangan: Any = None,
) -> BuktiDukung:
    """Attach an uploaded file: an accepted type by content, within the size limit, stored
    under a random name; the name given is kept for display only."""
    realisasi = _writable_realisasi(session, realisasi_id, viewer, None)
    name = uploads.clean_name(filename)
    if stream is None or not name:
        raise DomainError(N_("Choose a file to upload."), field="berkas")
    keterangan = _text(keterangan, "keterangan", MAX_KETERANGAN)
    stored = uploads.store(
        stream, name, uploads.upload_folder(), uploads.max_bytes(), session=session
    )
    bukti = _bukti(
        realisasi,
        viewer,
        keterangan,
        jenis="file",
        nama_file=name,
        path=stored.name,
        mime=stored.mime,
        ukuran=stored.size,
    )
    session.flush()
    return bukti


def add_link(
    session: Session, viewer: scope.Viewer, realisasi_id: Any, url: Any, keterangan: Any = None
) -> BuktiDukung:
    """Attach a link (e.g. a shared folder or a published page) as evidence."""
    realisasi = _writable_realisasi(session, realisasi_id, viewer, None)
    bukti = _bukti(realisasi, viewer, keterangan, jenis="url", url=parse_url(url))
    session.flush()
    return bukti


def delete_bukti(session: Session, viewer: scope.Viewer, bukti_id: Any) -> Realisasi:
    """Remove one piece of evidence; its file leaves the disk after the commit."""
    bukti = get_bukti(session, bukti_id, viewer)
    realisasi = _writable_realisasi(session, bukti.realisasi_id, viewer, None)
    realisasi.bukti.remove(bukti)
    session.flush()
    return realisasi


# --- handing the periode over -----------------------------------------------------------


def submit(
    session: Session,
    viewer: scope.Viewer,
    skp_id: int,
    periode_id: int,
    expected_version: int | None = None,
) -> Penilaian:
    """Submit the periode's realisasi to the pejabat penilai (app.services.penilaian.submit:
    every indikator needs a realisasi first)."""
    skp = skp_service.get_visible(session, skp_id, viewer)
    penilaian = _penilaian_of(session, skp.id, periode_id)
    if penilaian is None:
        raise NotFound(N_("This SKP has no evaluation for that period."))
    return penilaian_service.submit(session, penilaian.id, viewer, expected_version)
