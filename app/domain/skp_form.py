"""What the SKP form asks of its rows (PermenPANRB 6/2022 and its lampiran).

Two forms: the JPT form (Sekda, kepala dinas/badan) puts every RHK under one of four
perspektif and gives every indikator its manual indikator; everyone else (JA/JF) fills the
non-JPT form, without either. Two approaches: a kuantitatif SKP measures every indikator
against a number; a kualitatif one describes the target, and later the realisasi, in words
("laporan tersusun sesuai standar"), the rating staying the pejabat penilai's judgement.

Each rule returns the value as stored or raises DomainError on the field it names, so the
pages and the API refuse in the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from app.domain import enums
from app.domain.enums import N_
from app.domain.errors import DomainError

JPT = "jpt"
NON_JPT = "non_jpt"
KUALITATIF = "kualitatif"

MAX_TEKS = 5000  # each field of the manual indikator, the target in words

# The fields of the manual indikator a JPT must fill; the others of enums.MANUAL_INDIKATOR
# (tujuan, jenis, unit penanggung jawab, unit penyedia data) are optional.
MANUAL_WAJIB = ("definisi", "formula", "sumber_data", "periode_pelaporan")
# The fields whose value is one of a list.
MANUAL_PILIHAN = {"jenis": enums.JENIS_INDIKATOR, "periode_pelaporan": enums.PERIODE_PELAPORAN}


def skp_model(jenis_jabatan: str | None) -> str:
    """The form of an SKP, from the owner's jabatan when it is drawn up."""
    return JPT if jenis_jabatan == "jpt" else NON_JPT


def checked_words(value: object, field: str, maximum: int = MAX_TEKS) -> str | None:
    """Text as stored: stripped, None when empty; refused when not text or too long."""
    if value is not None and not isinstance(value, str):
        raise DomainError(N_("This field must be text."), field=field)
    text = (value or "").strip()
    if len(text) > maximum:
        raise DomainError(
            N_("This text may be at most %(max)d characters."), field=field, max=maximum
        )
    return text or None


def checked_perspektif(model: str, value: object) -> str | None:
    """A JPT's RHK serves one of the four perspektif; a non-JPT RHK has none."""
    perspektif = checked_words(value, "perspektif")
    if model != JPT:
        if perspektif is not None:
            raise DomainError(
                N_(
                    "Only the SKP of a high leadership official (JPT) groups its work result "
                    "plans by perspective."
                ),
                field="perspektif",
            )
        return None
    if perspektif is None:
        raise DomainError(
            N_("Choose the perspective of this work result plan."), field="perspektif"
        )
    if perspektif not in enums.PERSPEKTIF:
        raise DomainError(N_("Choose a valid perspective."), field="perspektif")
    return perspektif


# (perspektif or None, [(number, rhk), …]) — one section of a jenis.
Bagian = tuple[str | None, list[tuple[int, Any]]]


def hasil_kerja(model: str, rencana: Iterable[Any]) -> list[tuple[str, list[Bagian]]]:
    """The RHK (anything with ``jenis`` and ``perspektif``) as the form lists them: utama,
    then tambahan, numbered from 1 in each. In a JPT SKP each jenis holds the four perspektif
    in their order, an empty one included as on the official form, then any RHK still
    without one (written before the SKP became a JPT's); otherwise one section."""
    listed = []
    for jenis in enums.JENIS_RHK:
        rows = [rhk for rhk in rencana if rhk.jenis == jenis]
        ordered: list[tuple[str | None, list[Any]]] = [(None, rows)]
        if model == JPT:
            by_perspektif: dict[str | None, list[Any]] = {key: [] for key in enums.PERSPEKTIF}
            without: list[Any] = []
            for rhk in rows:
                by_perspektif.get(rhk.perspektif, without).append(rhk)
            ordered = list(by_perspektif.items()) + ([(None, without)] if without else [])
        number = 0
        sections: list[Bagian] = []
        for key, members in ordered:
            numbered = []
            for rhk in members:
                number += 1
                numbered.append((number, rhk))
            sections.append((key, numbered))
        listed.append((jenis, sections))
    return listed


def manual_field(key: str) -> str:
    """The name of one field of the manual indikator, the same on the page, in the API's
    answer and in a refusal: ``manual_indikator.definisi``."""
    return f"manual_indikator.{key}"


def checked_manual_indikator(model: str, value: object) -> dict[str, str] | None:
    """The manual indikator of a JPT's indikator: its required fields filled, its choices
    valid, each text at most 5,000 characters; stored without its empty fields. A non-JPT
    indikator has none (an empty manual is no manual)."""
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise DomainError(
            N_("The indicator manual must be an object of its fields."), field="manual_indikator"
        )
    unknown = sorted(str(key) for key in value if key not in enums.MANUAL_INDIKATOR)
    if unknown:
        raise DomainError(
            N_("The indicator manual has no field '%(name)s'."),
            field="manual_indikator",
            name=unknown[0],
        )
    manual = {key: checked_words(value.get(key), manual_field(key)) for key in value}
    filled = {key: manual[key] for key in enums.MANUAL_INDIKATOR if manual.get(key) is not None}
    if model != JPT:
        if filled:
            raise DomainError(
                N_("Only the SKP of a high leadership official (JPT) has an indicator manual."),
                field="manual_indikator",
            )
        return None
    for key, item in enums.MANUAL_INDIKATOR.items():
        text = filled.get(key)
        if text is None and key in MANUAL_WAJIB:
            raise DomainError(
                N_("Fill in the indicator manual: %(item)s."), field=manual_field(key), item=item
            )
        if text is not None and key in MANUAL_PILIHAN and text not in MANUAL_PILIHAN[key]:
            raise DomainError(
                N_("Choose a valid value in the indicator manual: %(item)s."),
                field=manual_field(key),
                item=item,
            )
    return filled


def target_is_required(pendekatan: str) -> bool:
    """A kuantitatif SKP measures every indikator against a number; a kualitatif one
    describes its target in words, a number optional."""
    return pendekatan != KUALITATIF


def check_target(pendekatan: str, target: Decimal | None, target_uraian: str | None) -> None:
    if not target_is_required(pendekatan):
        if target_uraian is None:
            raise DomainError(
                N_("Describe the target in words: this SKP takes the qualitative approach."),
                field="target_uraian",
            )
    elif target is None:
        raise DomainError(
            N_("Enter the target as a number: this SKP takes the quantitative approach."),
            field="target",
        )


def incomplete_field(
    model: str,
    pendekatan: str,
    target: Decimal | None,
    target_uraian: str | None,
    manual_indikator: object,
) -> str | None:
    """The first field an indikator still lacks for its SKP's form and approach (one
    written before the approach changed, or before the SKP became a JPT's); None if none."""
    try:
        check_target(pendekatan, target, target_uraian)
        checked_manual_indikator(model, manual_indikator)
    except DomainError as error:
        return error.field
    return None


def check_realisasi(target: Decimal | None, nilai: Decimal | None, catatan: str | None) -> None:
    """An indikator with a numeric target takes its realisasi as a number; one whose target
    is words only takes the realisasi in words (catatan), a number optional; an empty
    realisasi is none."""
    if target is not None and nilai is None:
        raise DomainError(N_("Enter the realisation."), field="nilai")
    if nilai is None and catatan is None:
        raise DomainError(N_("Describe the realisation in words."), field="catatan")
