"""The realisasi page saves every changed indikator in one action ("Simpan semua", issue 14):
all or nothing, a refusal naming its indikator with every typed box kept, only the owner."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.integration.test_realisasi_pages import (
    ApprovedSkp,
    approved_skp,
    page_url,
    realisasi_of,
    save,
)


@pytest.fixture()
def skp(app) -> ApprovedSkp:  # noqa: ANN001
    return approved_skp(app)


def save_all(client, skp: ApprovedSkp, boxes: dict[int, tuple[str, str]], **versions):  # noqa: ANN001, ANN201
    data = {}
    for indikator_id, (nilai, catatan) in boxes.items():
        data[f"nilai-{indikator_id}"] = nilai
        data[f"catatan-{indikator_id}"] = catatan
        data[f"version_id-{indikator_id}"] = versions.get(f"v{indikator_id}", "")
    return client.post(page_url(skp), data=data)


def test_the_page_has_one_form_for_every_indikator(login, skp):
    html = login(skp.people.staff).get(page_url(skp)).get_data(as_text=True)
    assert html.count('form="form-realisasi" name="nilai-') == 2
    assert 'id="btn-simpan-realisasi"' in html
    assert "data-warn-unsaved" in html
    assert "sikap/unsaved.js" in html


def test_owner_saves_two_indikator_in_one_action(app, login, skp):
    first, second = skp.indikator
    response = save_all(
        login(skp.people.staff), skp, {first: ("6", "Enam dokumen"), second: ("2,5", "")}
    )
    assert response.status_code == 302
    assert realisasi_of(app, first, skp.periode["tw1"]).nilai == Decimal("6.00")
    assert realisasi_of(app, first, skp.periode["tw1"]).catatan == "Enam dokumen"
    assert realisasi_of(app, second, skp.periode["tw1"]).nilai == Decimal("2.50")


def test_an_empty_box_without_a_realisasi_is_left_alone(app, login, skp):
    first, second = skp.indikator
    assert (
        save_all(login(skp.people.staff), skp, {first: ("6", ""), second: ("", "")}).status_code
        == 302
    )
    assert realisasi_of(app, second, skp.periode["tw1"]) is None


def test_only_changed_indikator_are_written(app, login, skp):
    first, second = skp.indikator
    staff = login(skp.people.staff)
    save(staff, skp, first, "6")
    before = realisasi_of(app, first, skp.periode["tw1"])
    save_all(staff, skp, {first: ("6,00", ""), second: ("3", "")}, **{f"v{first}": "999"})
    # The first box held what is stored: not written, so its (wrong) version was not checked.
    assert realisasi_of(app, first, skp.periode["tw1"]).version_id == before.version_id
    assert realisasi_of(app, second, skp.periode["tw1"]).nilai == Decimal("3.00")


def test_a_bad_value_saves_nothing_names_its_indikator_and_keeps_every_box(app, login, skp):
    first, second = skp.indikator
    response = save_all(
        login(skp.people.staff), skp, {first: ("7", "Tujuh dokumen"), second: ("banyak", "ket")}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="realisasi-refused"' in html
    assert "Tepat waktu" in html.split('id="realisasi-refused"')[1].split("</div>")[0]
    assert 'value="7"' in html and "Tujuh dokumen" in html and 'value="banyak"' in html
    assert "data-unsaved" in html
    assert realisasi_of(app, first, skp.periode["tw1"]) is None
    assert realisasi_of(app, second, skp.periode["tw1"]) is None


def test_a_stale_row_refuses_the_whole_save(app, login, skp):
    first, second = skp.indikator
    staff = login(skp.people.staff)
    save(staff, skp, first, "6")
    old = realisasi_of(app, first, skp.periode["tw1"]).version_id
    save(staff, skp, first, "8", version_id=str(old))  # another tab saved meanwhile
    response = save_all(
        staff, skp, {first: ("9", ""), second: ("1", "")}, **{f"v{first}": str(old)}
    )
    assert response.status_code == 409
    assert realisasi_of(app, first, skp.periode["tw1"]).nilai == Decimal("8.00")
    assert realisasi_of(app, second, skp.periode["tw1"]) is None


def test_atasan_cannot_save_realisasi_of_the_staff(app, login, skp):
    first, _ = skp.indikator
    assert save_all(login(skp.people.atasan), skp, {first: ("6", "")}).status_code == 403
    assert save_all(login(skp.people.atasan), skp, {}).status_code == 403
    assert realisasi_of(app, first, skp.periode["tw1"]) is None


def test_a_colleague_gets_404(app, login, skp):
    first, _ = skp.indikator
    assert save_all(login(skp.people.colleague), skp, {first: ("6", "")}).status_code == 404
    assert realisasi_of(app, first, skp.periode["tw1"]) is None


def test_an_indikator_of_another_skp_is_404(app, login, skp):
    other = approved_skp(app)
    response = save_all(login(skp.people.staff), skp, {other.indikator[0]: ("6", "")})
    assert response.status_code == 404
