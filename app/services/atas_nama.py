"""Acts on behalf of a pejabat penilai who is not an ASN (DOMAIN.md, Organisation realities).

The Sekda's pejabat penilai is the Wali Kota, who has no NIP and no account. Admin BKPSDM
records the approval of the SKP and the ratings on the official's behalf, with the signed
document attached; every such act names the official ("a.n. Wali Kota Dumai (…)"), on the
page, in the print and in the history. An objection whose pejabat penilai has no atasan in
the app goes to admin BKPSDM too (Tim Penilai Kinerja).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from sqlalchemy.orm import Session

from app import uploads
from app.domain.enums import N_
from app.domain.errors import DomainError
from app.models.master import Pegawai
from app.security import scope

# Who decides an objection whose pejabat penilai has no atasan in the app (a proper name).
TIM_PENILAI = "Tim Penilai Kinerja BKPSDM"


@dataclass(frozen=True)
class Dokumen:
    """An uploaded file: its content and the name it was sent with."""

    stream: IO[bytes]
    filename: str | None


def official_of(owner: Pegawai, penilai_id: int | None, viewer: scope.Viewer) -> str | None:
    """The non-ASN official admin BKPSDM acts for on ``owner``'s SKP or evaluation (whose
    pejabat penilai in the app is ``penilai_id``); None when the viewer acts for themselves."""
    if not viewer.is_admin or penilai_id is not None:
        return None
    return owner.penilai_non_asn


def signed_document(
    session: Session, dokumen: Dokumen | None, required: bool
) -> tuple[str | None, str | None]:
    """Store the signed document of an act on someone's behalf: (stored name, shown name).
    Refused on the field ``dokumen`` when it is required and missing, or not acceptable."""
    name = uploads.clean_name(dokumen.filename) if dokumen is not None else ""
    if dokumen is None or not name:
        if required:
            raise DomainError(
                N_("Attach the document signed by the official you act for."), field="dokumen"
            )
        return None, None
    try:
        stored = uploads.store(
            dokumen.stream, name, uploads.upload_folder(), uploads.max_bytes(), session=session
        )
    except DomainError as error:
        error.field = "dokumen"
        raise
    return stored.name, name
