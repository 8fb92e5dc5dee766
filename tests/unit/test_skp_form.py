"""The rules of the SKP form (app.domain.skp_form): which form an SKP takes, what the JPT form
asks of an RHK (a perspektif) and of an indikator (its manual indikator), what a kuantitatif
or kualitatif target is, and what a realisasi must hold."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from app.domain import enums
from app.domain.errors import DomainError
from app.domain.skp_form import (
    MANUAL_WAJIB,
    check_realisasi,
    check_target,
    checked_manual_indikator,
    checked_perspektif,
    hasil_kerja,
    incomplete_field,
    skp_model,
)

COMPLETE = {
    "definisi": "Persentase dokumen perencanaan yang ditetapkan tepat waktu",
    "formula": "Dokumen ditetapkan ÷ dokumen direncanakan × 100",
    "sumber_data": "Bappeda",
    "periode_pelaporan": "triwulan",
}


def refused_field(rule, *args) -> str | None:
    with pytest.raises(DomainError) as refused:
        rule(*args)
    return refused.value.field


# --- the form of the SKP ----------------------------------------------------------------


def test_a_jpt_jabatan_draws_up_the_jpt_form_and_every_other_the_non_jpt_form():
    assert {jenis: skp_model(jenis) for jenis in enums.JENIS_JABATAN} == {
        jenis: "jpt" if jenis == "jpt" else "non_jpt" for jenis in enums.JENIS_JABATAN
    }
    assert skp_model(None) == "non_jpt"  # no jabatan recorded yet


# --- perspektif -------------------------------------------------------------------------


@pytest.mark.parametrize("perspektif", list(enums.PERSPEKTIF))
def test_a_jpt_rhk_serves_one_of_the_four_perspektif(perspektif):
    assert checked_perspektif("jpt", perspektif) == perspektif


@pytest.mark.parametrize("perspektif", [None, "", "  ", "keuangan", 3])
def test_a_jpt_rhk_without_a_valid_perspektif_is_refused_on_perspektif(perspektif):
    assert refused_field(checked_perspektif, "jpt", perspektif) == "perspektif"


def test_a_non_jpt_rhk_has_no_perspektif():
    assert checked_perspektif("non_jpt", None) is None
    assert checked_perspektif("non_jpt", "") is None
    assert refused_field(checked_perspektif, "non_jpt", "anggaran") == "perspektif"


# --- manual indikator -------------------------------------------------------------------


def test_the_required_fields_of_the_manual_are_definisi_formula_sumber_data_periode():
    assert set(MANUAL_WAJIB) == {"definisi", "formula", "sumber_data", "periode_pelaporan"}
    assert set(MANUAL_WAJIB) < set(enums.MANUAL_INDIKATOR)


def test_a_complete_manual_is_stored_without_its_empty_fields():
    given = {**COMPLETE, "tujuan": "  ", "jenis": "outcome", "unit_penyedia_data": None}
    assert checked_manual_indikator("jpt", given) == {**COMPLETE, "jenis": "outcome"}


@pytest.mark.parametrize("missing", MANUAL_WAJIB)
def test_a_jpt_indikator_without_a_required_manual_field_is_refused_on_that_field(missing):
    manual = {**COMPLETE, missing: ""}
    field = refused_field(checked_manual_indikator, "jpt", manual)
    assert field == f"manual_indikator.{missing}"


def test_a_jpt_indikator_without_any_manual_is_refused_on_its_definisi():
    assert refused_field(checked_manual_indikator, "jpt", None) == "manual_indikator.definisi"


@pytest.mark.parametrize(("key", "value"), [("periode_pelaporan", "harian"), ("jenis", "input")])
def test_the_manual_choices_are_those_of_the_enumerations(key, value):
    manual = {**COMPLETE, key: value}
    assert refused_field(checked_manual_indikator, "jpt", manual) == f"manual_indikator.{key}"


def test_a_manual_text_is_at_most_5000_characters():
    assert checked_manual_indikator("jpt", {**COMPLETE, "definisi": "x" * 5000})
    manual = {**COMPLETE, "definisi": "x" * 5001}
    assert refused_field(checked_manual_indikator, "jpt", manual) == "manual_indikator.definisi"


@pytest.mark.parametrize(
    ("manual", "field"),
    [
        ("definisi", "manual_indikator"),
        ({**COMPLETE, "catatan": "x"}, "manual_indikator"),
        ({**COMPLETE, "formula": 12}, "manual_indikator.formula"),
    ],
)
def test_a_manual_that_is_no_object_of_its_text_fields_is_refused(manual, field):
    assert refused_field(checked_manual_indikator, "jpt", manual) == field


def test_a_non_jpt_indikator_has_no_manual():
    assert checked_manual_indikator("non_jpt", None) is None
    assert checked_manual_indikator("non_jpt", {"definisi": "", "formula": None}) is None
    assert refused_field(checked_manual_indikator, "non_jpt", COMPLETE) == "manual_indikator"


# --- target -----------------------------------------------------------------------------


def test_a_kuantitatif_indikator_needs_a_number():
    check_target("kuantitatif", Decimal(12), None)
    assert refused_field(check_target, "kuantitatif", None, "sesuai standar") == "target"


def test_a_kualitatif_indikator_needs_its_target_in_words_and_a_number_is_optional():
    check_target("kualitatif", None, "Laporan tersusun sesuai standar")
    check_target("kualitatif", Decimal(1), "Laporan tersusun sesuai standar")
    assert refused_field(check_target, "kualitatif", Decimal(12), None) == "target_uraian"


def test_an_indikator_written_before_the_form_or_approach_changed_names_what_it_lacks():
    assert incomplete_field("non_jpt", "kuantitatif", Decimal(12), None, None) is None
    assert incomplete_field("non_jpt", "kualitatif", Decimal(12), None, None) == "target_uraian"
    assert incomplete_field("jpt", "kuantitatif", Decimal(12), None, None) == (
        "manual_indikator.definisi"
    )
    assert incomplete_field("jpt", "kuantitatif", Decimal(12), None, COMPLETE) is None


# --- realisasi --------------------------------------------------------------------------


def test_an_indikator_with_a_numeric_target_takes_a_number():
    check_realisasi(Decimal(12), Decimal(6), None)
    assert refused_field(check_realisasi, Decimal(12), None, "enam dokumen") == "nilai"


def test_an_indikator_in_words_takes_the_realisasi_in_words_a_number_optional():
    check_realisasi(None, None, "Laporan tersusun dan disahkan")
    check_realisasi(None, Decimal(1), None)


def test_an_empty_realisasi_is_refused():
    assert refused_field(check_realisasi, None, None, None) == "catatan"


# --- the order of the form --------------------------------------------------------------


def rhk(name: str, jenis: str = "utama", perspektif: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(uraian=name, jenis=jenis, perspektif=perspektif)


def listed(groups) -> list:
    return [
        (jenis, [(key, [(n, r.uraian) for n, r in rows]) for key, rows in sections])
        for jenis, sections in groups
    ]


def test_a_jpt_skp_lists_its_rhk_under_the_four_perspektif_in_their_order():
    rows = [
        rhk("Anggaran terserap", perspektif="anggaran"),
        rhk("Layanan memuaskan", perspektif="penerima_layanan"),
        rhk("Lama, belum berperspektif"),
        rhk("SDM kompeten", perspektif="penguatan_internal"),
        rhk("Tugas tambahan", jenis="tambahan", perspektif="proses_bisnis"),
    ]
    assert listed(hasil_kerja("jpt", rows)) == [
        (
            "utama",
            [
                ("penerima_layanan", [(1, "Layanan memuaskan")]),
                ("proses_bisnis", []),
                ("penguatan_internal", [(2, "SDM kompeten")]),
                ("anggaran", [(3, "Anggaran terserap")]),
                (None, [(4, "Lama, belum berperspektif")]),
            ],
        ),
        (
            "tambahan",
            [
                ("penerima_layanan", []),
                ("proses_bisnis", [(1, "Tugas tambahan")]),
                ("penguatan_internal", []),
                ("anggaran", []),
            ],
        ),
    ]


def test_a_non_jpt_skp_lists_its_rhk_by_jenis_in_their_order():
    rows = [rhk("B"), rhk("T", jenis="tambahan"), rhk("A")]
    assert listed(hasil_kerja("non_jpt", rows)) == [
        ("utama", [(None, [(1, "B"), (2, "A")])]),
        ("tambahan", [(None, [(1, "T")])]),
    ]
