"""Enumerations of the contract (CONTRACT.md): stored values are lower-case snake words.

Labels are English msgids marked with ``N_`` so Babel extracts them; the UI translates them
at render time (Indonesian by default).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a string for extraction without translating it here (domain has no locale)."""
    return message


JENIS_ASN = {
    "pns": N_("PNS"),
    "cpns": N_("CPNS"),
    "pppk": N_("PPPK"),
    "pppk_paruh_waktu": N_("Part-time PPPK"),
}

JENIS_KELAMIN = {"1": N_("Male"), "2": N_("Female")}

# PermenPANRB 6/2022: quarterly evaluation by default; the annual one closes the year.
JENIS_PERIODE = {
    "tahunan": N_("Annual"),
    "tw1": N_("Quarter I"),
    "tw2": N_("Quarter II"),
    "tw3": N_("Quarter III"),
    "tw4": N_("Quarter IV"),
    # Monthly evaluation, where local policy chooses it (the year's ritme, domain/periode.py).
    "bulan_01": N_("January"),
    "bulan_02": N_("February"),
    "bulan_03": N_("March"),
    "bulan_04": N_("April"),
    "bulan_05": N_("May"),
    "bulan_06": N_("June"),
    "bulan_07": N_("July"),
    "bulan_08": N_("August"),
    "bulan_09": N_("September"),
    "bulan_10": N_("October"),
    "bulan_11": N_("November"),
    "bulan_12": N_("December"),
}

JENIS_JABATAN = {
    "jpt": N_("High Leadership (JPT)"),
    "administrator": N_("Administrator"),
    "pengawas": N_("Supervisor (Pengawas)"),
    "pelaksana": N_("Executor (Pelaksana)"),
    "fungsional_keahlian": N_("Functional – expertise"),
    "fungsional_keterampilan": N_("Functional – skill"),
}

# Jenjang allowed for each jenis jabatan (DOMAIN.md, Master data → Jabatan).
JENJANG_JABATAN = {
    "jpt": {"pratama": N_("Primary (Pratama)")},
    "administrator": {},
    "pengawas": {},
    "pelaksana": {},
    "fungsional_keahlian": {
        "ahli_pertama": N_("First Expert"),
        "ahli_muda": N_("Junior Expert"),
        "ahli_madya": N_("Middle Expert"),
        "ahli_utama": N_("Principal Expert"),
    },
    "fungsional_keterampilan": {
        "pemula": N_("Beginner"),
        "terampil": N_("Skilled"),
        "mahir": N_("Proficient"),
        "penyelia": N_("Supervising"),
    },
}

JENJANG = {key: label for levels in JENJANG_JABATAN.values() for key, label in levels.items()}

JENIS_UNIT = {
    "pemerintah": N_("Government"),
    "sekretariat": N_("Secretariat"),
    "inspektorat": N_("Inspectorate"),
    "badan": N_("Agency (Badan)"),
    "dinas": N_("Office (Dinas)"),
    "satuan": N_("Unit (Satuan)"),
    "rumah_sakit": N_("Hospital"),
    "kecamatan": N_("District (Kecamatan)"),
    "kelurahan": N_("Sub-district (Kelurahan)"),
    "bidang": N_("Division (Bidang/Bagian)"),
    "seksi": N_("Section (Seksi/Subbagian)"),
    "upt": N_("Technical Unit (UPT)"),
    "sekolah": N_("School"),
    "puskesmas": N_("Health Centre (Puskesmas)"),
}

JENIS_PANGKAT = {"pns": N_("PNS"), "pppk": N_("PPPK")}

# The SKP (PermenPANRB 6/2022): its approach, the kinds of RHK, the aspects of an indikator.
PENDEKATAN = {"kuantitatif": N_("Quantitative"), "kualitatif": N_("Qualitative")}
JENIS_RHK = {"utama": N_("Main"), "tambahan": N_("Additional")}
ASPEK = {
    "kuantitas": N_("Quantity"),
    "kualitas": N_("Quality"),
    "waktu": N_("Time"),
    "biaya": N_("Cost"),
}
# The form of the SKP: JPT (Sekda, kepala dinas/badan) or everyone else (JA/JF).
MODEL_SKP = {"jpt": N_("High leadership (JPT)"), "non_jpt": N_("Administrative/functional")}
# JPT model: the four perspektif an RHK serves.
PERSPEKTIF = {
    "penerima_layanan": N_("Service recipients"),
    "proses_bisnis": N_("Business process"),
    "penguatan_internal": N_("Internal strengthening"),
    "anggaran": N_("Budget"),
}
# JPT model: the manual indikator of each indikator, field by field.
MANUAL_INDIKATOR = {
    "definisi": N_("Definition"),
    "tujuan": N_("Purpose"),
    "formula": N_("Formula"),
    "jenis": N_("Indicator type"),
    "unit_penanggung_jawab": N_("Responsible unit"),
    "unit_penyedia_data": N_("Data provider unit"),
    "sumber_data": N_("Data source"),
    "periode_pelaporan": N_("Reporting period"),
}
JENIS_INDIKATOR = {"output": N_("Output"), "outcome": N_("Outcome")}
# Acting assignments (SE Kepala BKN 1/2021): a Plt fills a vacant post or a long absence,
# a Plh a short absence.
JENIS_PENUGASAN = {"plt": N_("Plt (acting official)"), "plh": N_("Plh (daily acting official)")}
PERIODE_PELAPORAN = {
    "bulanan": N_("Monthly"),
    "triwulan": N_("Quarterly"),
    "semester": N_("Per semester"),
    "tahunan": N_("Annual"),
}


def label(choices: dict[str, str], value: str | None) -> str:
    """The (untranslated) label of a stored value; the value itself when unknown."""
    if value is None:
        return ""
    return choices.get(value, value)
