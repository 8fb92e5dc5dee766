"""The two parties of an SKP — the pegawai appraised and the pejabat penilai — as official
documents print them, and the loader options that read them together with the SKP.

Read lazily, each party's pangkat, jabatan and unit cost a statement unless the identity map
already holds it: the SKP and penilaian pages then asked the database more often when the two
parties had different pangkat than when they shared one. Loaded with the SKP, the page's
statements are the same for every pair (issue 16).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import joinedload
from sqlalchemy.orm.strategy_options import _AbstractLoad

from app.models.master import Pegawai
from app.models.skp import Skp


def _with_header(relation: Any) -> _AbstractLoad:
    """A party, joined with what ``party_header`` prints of them."""
    return joinedload(relation).options(
        joinedload(Pegawai.pangkat), joinedload(Pegawai.jabatan), joinedload(Pegawai.unit_kerja)
    )


# Loader options of an Skp for header_of: the owner with both candidates for pejabat penilai
# (the override and the atasan), and the penilai fixed on the SKP.
OF_SKP: tuple[_AbstractLoad, ...] = (
    _with_header(Skp.pegawai).options(
        _with_header(Pegawai.atasan), _with_header(Pegawai.pejabat_penilai)
    ),
    _with_header(Skp.penilai),
)


def party_header(pegawai: Pegawai | None) -> dict[str, Any] | None:
    """A party (pegawai or pejabat penilai) as printed on an official document."""
    if pegawai is None:
        return None
    return {
        "nama": pegawai.nama_lengkap,
        "nip": pegawai.nip,
        "pangkat": str(pegawai.pangkat) if pegawai.pangkat else None,
        "jabatan": str(pegawai.jabatan) if pegawai.jabatan else None,
        "unit_kerja": pegawai.unit_kerja.nama_lengkap if pegawai.unit_kerja else None,
    }


def header_of(skp: Skp) -> dict[str, dict[str, Any] | None]:
    """The two parties as printed on the SKP: frozen at approval, live before it. A non-ASN
    pejabat penilai has a name and a position only (``non_asn``)."""
    if skp.snapshot:
        return skp.snapshot
    owner = skp.pegawai
    penilai = skp.penilai or (owner.pejabat_penilai or owner.atasan)
    if penilai is None and owner.penilai_non_asn:
        return {
            "pegawai": party_header(owner),
            "penilai": {
                "nama": owner.penilai_non_asn_nama,
                "nip": None,
                "pangkat": None,
                "jabatan": owner.penilai_non_asn_jabatan,
                "unit_kerja": None,
                "non_asn": True,
            },
        }
    return {"pegawai": party_header(owner), "penilai": party_header(penilai)}
