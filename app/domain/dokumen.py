"""Official documents issued as PDF and checked by their QR code: the kinds, and what the
public verification page may show of a pegawai (DOMAIN.md "Official documents")."""

from __future__ import annotations

from app.domain.enums import N_

SKP = "skp"
EVALUASI = "evaluasi"  # Dokumen Evaluasi Kinerja Pegawai of one penilaian
POLA_DISTRIBUSI = "pola_distribusi"  # of an OPD and periode
JENIS = {
    SKP: N_("Employee Performance Targets (SKP)"),
    EVALUASI: N_("Employee Performance Evaluation Document"),
    POLA_DISTRIBUSI: N_("Distribution Pattern of Employee Performance Ratings"),
}

# The public page names the pegawai but must not hand out a whole NIP (it encodes the birth
# date and the date of appointment): the first four and the last three digits stay, enough to
# match the paper in hand against the page.
NIP_SHOWN_HEAD = 4
NIP_SHOWN_TAIL = 3


def mask_nip(nip: str) -> str:
    """``198501012010011001`` → ``1985***********001``; a short value is masked whole."""
    hidden = len(nip) - NIP_SHOWN_HEAD - NIP_SHOWN_TAIL
    if hidden <= 0:
        return "*" * len(nip)
    return nip[:NIP_SHOWN_HEAD] + "*" * hidden + nip[-NIP_SHOWN_TAIL:]
