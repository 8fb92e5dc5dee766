"""Panduan: the guide each role reads, built from the rules the app runs (states, matrix,
keberatan window), in Indonesian, and only the parts the reader's roles need."""

from __future__ import annotations

import re

import pytest

from app.domain import scoring, workflow
from app.views.panduan import PENILAIAN_STATE_HELP, SKP_STATE_HELP, sections_for

SECTIONS = ["panduan-pegawai", "panduan-atasan", "panduan-pimpinan", "panduan-admin"]


def test_every_state_of_the_cycle_is_explained():
    assert set(SKP_STATE_HELP) == set(workflow.SKP_STATES)
    assert set(PENILAIAN_STATE_HELP) == set(workflow.PENILAIAN_STATES)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("staff", ["panduan-pegawai"]),
        ("atasan", ["panduan-pegawai", "panduan-atasan"]),
        ("pimpinan", ["panduan-pegawai", "panduan-atasan", "panduan-pimpinan"]),
        ("admin", SECTIONS),
    ],
)
def test_each_role_reads_its_own_parts(role, shown, login, cast):
    response = login(getattr(cast, role)).get("/panduan/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert [section for section in SECTIONS if f'<section id="{section}">' in html] == shown
    assert "Panduan" in html


def test_the_matrix_on_the_page_is_the_one_that_scores(login, cast, app):
    html = login(cast.staff).get("/panduan/").get_data(as_text=True)
    cells = re.findall(r'data-hasil="(\w+)" data-perilaku="(\w+)">([^<]+)<', html)
    assert len(cells) == len(scoring.PREDIKAT_MATRIX)
    with app.test_request_context(headers={"Accept-Language": "id"}):
        from flask_babel import gettext

        for hasil, perilaku, shown in cells:
            assert shown == gettext(scoring.PREDIKAT[scoring.predikat(hasil, perilaku)])
    assert "Butuh Perbaikan" in html


def test_the_objection_window_is_the_configured_one(login, cast, app):
    days = app.config["KEBERATAN_HARI"]
    html = login(cast.staff).get("/panduan/").get_data(as_text=True)
    assert f"dalam {days} hari sejak dinilai" in html
    assert f"setelah {days} hari tanpa jawaban" in html


def test_the_guide_is_in_the_navbar_of_a_pegawai(login, cast):
    html = login(cast.staff).get("/kinerja-saya/").get_data(as_text=True)
    assert 'href="/panduan/"' in html


def test_roles_without_staff_read_only_the_pegawai_part():
    assert sections_for({"pegawai"}) == ["pegawai"]
    assert sections_for({"pegawai", "pimpinan_opd"}) == ["pegawai", "atasan", "pimpinan"]
    assert sections_for({"admin_bkpsdm"}) == ["pegawai", "atasan", "pimpinan", "admin"]
