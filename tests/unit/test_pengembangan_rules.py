"""Tindak lanjut of the annual predikat (PP 30/2019), the life of a development plan, and the
20 JP right (1 JP = 45 minutes)."""

from datetime import date

import pytest

from app.domain import pengembangan as rules
from app.domain.errors import DomainError, TransitionRefused
from app.domain.scoring import PREDIKAT

FOLLOW_UP = [
    ("sangat_baik", "pelatihan_lanjutan"),
    ("baik", None),
    ("butuh_perbaikan", "pembinaan"),
    ("kurang", "pembinaan"),
    ("sangat_kurang", "pembinaan"),
]


@pytest.mark.parametrize(("predikat", "expected"), FOLLOW_UP)
@pytest.mark.parametrize("status", ["diterima", "final"])
def test_settled_annual_predikat_calls_for_its_follow_up(predikat, expected, status):
    assert rules.tindak_lanjut("tahunan", status, predikat) == expected


def test_every_predikat_of_the_matrix_has_a_follow_up_rule():
    assert set(rules.TINDAK_LANJUT) == set(PREDIKAT)


@pytest.mark.parametrize("jenis", ["tw1", "tw2", "tw3", "tw4"])
def test_periodic_evaluation_calls_for_no_follow_up(jenis):
    assert rules.tindak_lanjut(jenis, "final", "sangat_kurang") is None


@pytest.mark.parametrize("status", ["belum_dinilai", "diajukan", "dinilai", "keberatan"])
def test_unsettled_annual_evaluation_calls_for_no_follow_up(status):
    assert rules.tindak_lanjut("tahunan", status, "kurang") is None


def test_unknown_predikat_is_refused():
    with pytest.raises(ValueError):
        rules.tindak_lanjut("tahunan", "diterima", "luar_biasa")


FULL_PLAN = {
    "target": "Capaian IKI minimal sesuai ekspektasi",
    "langkah": "Pendampingan mingguan",
    "tenggat": date(2026, 6, 30),
    "tindak_lanjut_atasan": "Target tercapai",
}


@pytest.mark.parametrize(
    ("old", "new"),
    [("usulan", "usulan"), ("usulan", "berjalan"), ("berjalan", "selesai"), ("usulan", "selesai")],
)
def test_a_complete_plan_moves_forward(old, new):
    rules.check_plan("pembinaan", old, new, FULL_PLAN)


def test_a_plan_does_not_go_back():
    with pytest.raises(TransitionRefused):
        rules.check_plan("pembinaan", "berjalan", "usulan", FULL_PLAN)


def test_a_completed_plan_is_closed():
    with pytest.raises(TransitionRefused):
        rules.check_plan("pembinaan", "selesai", "selesai", FULL_PLAN)


@pytest.mark.parametrize("missing", ["target", "langkah", "tenggat"])
def test_a_pembinaan_starts_only_with_target_steps_and_deadline(missing):
    with pytest.raises(DomainError) as refused:
        rules.check_plan("pembinaan", "usulan", "berjalan", {**FULL_PLAN, missing: None})
    assert refused.value.field == missing


def test_a_proposal_may_stay_empty():
    rules.check_plan("pembinaan", "usulan", "usulan", {})


def test_advanced_training_starts_with_the_training_named():
    rules.check_plan("pelatihan_lanjutan", "usulan", "berjalan", {"target": "Pelatihan analis"})
    with pytest.raises(DomainError):
        rules.check_plan("pelatihan_lanjutan", "usulan", "berjalan", {"target": ""})


@pytest.mark.parametrize("jenis", ["pembinaan", "pelatihan_lanjutan"])
def test_a_plan_completes_only_with_the_supervisors_notes(jenis):
    with pytest.raises(DomainError) as refused:
        rules.check_plan(jenis, "berjalan", "selesai", {**FULL_PLAN, "tindak_lanjut_atasan": ""})
    assert refused.value.field == "tindak_lanjut_atasan"


def test_an_unknown_status_is_refused():
    with pytest.raises(DomainError):
        rules.check_plan("pembinaan", "usulan", "batal", FULL_PLAN)


def test_the_20_jp_minimum_is_a_right_of_pns():
    assert rules.jp_minimum("pns") == 20
    assert rules.jp_minimum("pppk") is None
    assert rules.jp_shortfall("pns", 12) == 8
    assert rules.jp_shortfall("pns", 24) == 0
    assert rules.jp_shortfall("pppk", 0) == 0


def test_one_jp_is_45_minutes():
    assert rules.hours(20) == 15


@pytest.mark.parametrize(
    ("mulai", "selesai", "jp"),
    [
        (date(2026, 3, 2), None, 8),
        (date(2026, 3, 2), date(2026, 3, 2), 32),
        (date(2026, 3, 2), date(2026, 3, 3), 64),
    ],
)
def test_a_training_record_fits_its_dates(mulai, selesai, jp):
    rules.check_pelatihan("Pelatihan Dasar SIKAP", mulai, selesai, jp)


@pytest.mark.parametrize(
    ("nama", "mulai", "selesai", "jp", "field"),
    [
        ("", date(2026, 3, 2), None, 8, "nama_diklat"),
        ("Diklat", None, None, 8, "tanggal_mulai"),
        ("Diklat", date(2026, 3, 2), date(2026, 3, 1), 8, "tanggal_selesai"),
        ("Diklat", date(2026, 3, 2), None, 0, "jp"),
        ("Diklat", date(2026, 3, 2), None, -4, "jp"),
        ("Diklat", date(2026, 3, 2), None, True, "jp"),
        ("Diklat", date(2026, 3, 2), None, 33, "jp"),
        ("Diklat", date(2026, 3, 2), date(2026, 3, 3), 65, "jp"),
    ],
)
def test_a_wrong_training_record_is_refused_on_its_field(nama, mulai, selesai, jp, field):
    with pytest.raises(DomainError) as refused:
        rules.check_pelatihan(nama, mulai, selesai, jp)
    assert refused.value.field == field
