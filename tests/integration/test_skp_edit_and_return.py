"""Issue 14, items 3 and 4: RHK and indikator are changed through their own edit form (the add
form, the same service) while the SKP is draft or returned; the RHK form asks for the link to
the atasan's RHK when it is filled, as submission would; a refused form comes back as typed; a
returned SKP opens with the atasan's reason, who and when."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from tests.factories import chain_with_submitted_skps, new_chain, skp_with_rhk, viewer_of


@pytest.fixture()
def draft(app):  # noqa: ANN001, ANN201
    """A chain whose staff has a draft SKP with one RHK (linked) and one indikator."""
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk)
    return people, atasan_rhk, skp_id, rhk_id


def rhk_row(app, rhk_id: int):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.skp import RencanaHasilKerja

    with app.app_context():
        db.session.expire_all()
        return db.session.get(RencanaHasilKerja, rhk_id)


def indikator_of(app, rhk_id: int):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    with app.app_context():
        db.session.expire_all()
        return db.session.execute(
            select(IndikatorKinerja).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()


def rhk_count(app, skp_id: int) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.skp import RencanaHasilKerja

    with app.app_context():
        return len(
            db.session.execute(
                select(RencanaHasilKerja.id).where(RencanaHasilKerja.skp_id == skp_id)
            ).all()
        )


def returned(app, people, skp_id: int, catatan: str) -> None:  # noqa: ANN001
    from app.extensions import db
    from app.services import skp as skp_service

    with app.test_request_context():
        skp_service.submit(db.session, skp_id, viewer_of(app, people.staff))
        skp_service.return_(db.session, skp_id, viewer_of(app, people.atasan), catatan)
        db.session.commit()


def said(app, msgid: str, **params) -> str:  # noqa: ANN001
    from flask_babel import gettext

    with app.test_request_context():
        return gettext(msgid, **params)


# --- item 3: editing --------------------------------------------------------------------


def test_every_rhk_and_indikator_of_a_draft_has_an_edit_form_built_like_the_add_form(login, draft):
    people, _, skp_id, rhk_id = draft
    html = login(people.staff).get(f"/skp/{skp_id}").get_data(as_text=True)
    edit = html.split(f'action="/skp/rhk/{rhk_id}/ubah"')[1].split("</form>")[0]
    add = html.split('id="form-rhk"')[1].split("</form>")[0]
    names = re.compile(r'name="(\w+)"')
    assert set(names.findall(edit)) == set(names.findall(add))
    assert "Arsip tertata</textarea>" in edit
    assert 'class="skp-ubah-indikator"' in html


def test_owner_changes_an_rhk_of_a_draft(app, login, draft):
    people, atasan_rhk, skp_id, rhk_id = draft
    response = login(people.staff).post(
        f"/skp/rhk/{rhk_id}/ubah",
        data={"jenis": "tambahan", "uraian": "Arsip digital", "intervensi_id": str(atasan_rhk)},
    )
    assert response.status_code == 302
    rhk = rhk_row(app, rhk_id)
    assert (rhk.jenis, rhk.uraian, rhk.intervensi_id) == ("tambahan", "Arsip digital", atasan_rhk)


def test_owner_changes_an_indikator_of_a_returned_skp(app, login, draft):
    people, _, skp_id, rhk_id = draft
    returned(app, people, skp_id, "Target terlalu rendah")
    indikator = indikator_of(app, rhk_id)
    response = login(people.staff).post(
        f"/skp/indikator/{indikator.id}/ubah",
        data={"aspek": "kuantitas", "uraian": "Jumlah arsip", "target": "24,5", "satuan": "berkas"},
    )
    assert response.status_code == 302
    changed = indikator_of(app, rhk_id)
    assert (changed.uraian, str(changed.target), changed.satuan) == (
        "Jumlah arsip",
        "24.50",
        "berkas",
    )


def test_a_refused_indikator_change_comes_back_as_typed_on_its_field(app, login, draft):
    people, _, skp_id, rhk_id = draft
    indikator = indikator_of(app, rhk_id)
    response = login(people.staff).post(
        f"/skp/indikator/{indikator.id}/ubah",
        data={"aspek": "kuantitas", "uraian": "Jumlah arsip baru", "target": "0", "satuan": "x"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-field-error="target"' in html
    assert 'value="Jumlah arsip baru"' in html
    assert 'class="skp-ubah-indikator" open' in html or 'skp-ubah-indikator" open' in html
    assert indikator_of(app, rhk_id).uraian == "Jumlah"


@pytest.mark.parametrize("jenis", ["utama", "tambahan"])
def test_an_rhk_without_the_atasans_rhk_is_refused_when_filled(app, login, draft, jenis):
    people, _, skp_id, _ = draft
    response = login(people.staff).post(
        f"/skp/{skp_id}/rhk", data={"jenis": jenis, "uraian": "Tugas tambahan", "intervensi_id": ""}
    )
    assert response.status_code == 422
    html = unescape(response.get_data(as_text=True))
    message = said(
        app,
        "Work result plan '%(rhk)s' is not linked to a work result of your supervisor.",
        rhk="Tugas tambahan",
    )
    assert re.search(r'data-field-error="intervensi_id">[^<]*' + re.escape(message), html)
    assert "Tugas tambahan</textarea>" in html  # what was typed is kept
    assert rhk_count(app, skp_id) == 1


def test_unlinking_an_rhk_is_refused_as_well(app, login, draft):
    people, atasan_rhk, _, rhk_id = draft
    response = login(people.staff).post(
        f"/skp/rhk/{rhk_id}/ubah", data={"jenis": "utama", "uraian": "Arsip", "intervensi_id": ""}
    )
    assert response.status_code == 422
    assert rhk_row(app, rhk_id).intervensi_id == atasan_rhk


def test_the_api_applies_the_same_rule(app, api, draft):
    people, _, skp_id, _ = draft
    client, headers = api(people.staff)
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "tambahan", "uraian": "Lewat API"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["field"] == "intervensi_id"


def test_before_the_atasans_skp_exists_drafting_is_still_allowed(app, login):
    people = new_chain(app)
    from tests.integration.test_skp_pages import ensure_skp

    staff = login(people.staff)
    skp_id = ensure_skp(app, staff, people.staff)
    response = staff.post(f"/skp/{skp_id}/rhk", data={"jenis": "tambahan", "uraian": "Awal"})
    assert response.status_code == 302
    assert rhk_count(app, skp_id) == 1


def test_atasan_cannot_change_the_staffs_rhk(app, login, draft):
    people, atasan_rhk, _, rhk_id = draft
    response = login(people.atasan).post(
        f"/skp/rhk/{rhk_id}/ubah",
        data={"jenis": "utama", "uraian": "Diubah atasan", "intervensi_id": str(atasan_rhk)},
    )
    assert response.status_code == 403
    assert rhk_row(app, rhk_id).uraian == "Arsip tertata"


def test_a_colleague_gets_404(app, login, draft):
    people, atasan_rhk, _, rhk_id = draft
    indikator = indikator_of(app, rhk_id)
    colleague = login(people.colleague)
    data = {"jenis": "utama", "uraian": "Diubah rekan", "intervensi_id": str(atasan_rhk)}
    assert colleague.post(f"/skp/rhk/{rhk_id}/ubah", data=data).status_code == 404
    response = colleague.post(
        f"/skp/indikator/{indikator.id}/ubah",
        data={"aspek": "kuantitas", "uraian": "x", "target": "1", "satuan": "x"},
    )
    assert response.status_code == 404
    assert rhk_row(app, rhk_id).uraian == "Arsip tertata"


def test_a_submitted_skp_cannot_be_changed_and_says_why(app, login, draft):
    from app.extensions import db
    from app.services import skp as skp_service

    people, atasan_rhk, skp_id, rhk_id = draft
    with app.test_request_context():
        skp_service.submit(db.session, skp_id, viewer_of(app, people.staff))
        db.session.commit()
    staff = login(people.staff)
    assert 'class="skp-ubah-rhk"' not in staff.get(f"/skp/{skp_id}").get_data(as_text=True)
    response = staff.post(
        f"/skp/rhk/{rhk_id}/ubah",
        data={"jenis": "utama", "uraian": "Terlambat", "intervensi_id": str(atasan_rhk)},
    )
    assert response.status_code == 409
    assert 'id="form-refused"' in response.get_data(as_text=True)
    assert rhk_row(app, rhk_id).uraian == "Arsip tertata"


# --- item 4: why it came back -----------------------------------------------------------


def test_a_returned_skp_opens_with_the_reason_who_and_when(app, login, draft):
    people, _, skp_id, _ = draft
    returned(app, people, skp_id, "Perjelas target indikator kedua")
    for who in (people.staff, people.atasan):
        html = login(who).get(f"/skp/{skp_id}").get_data(as_text=True)
        banner = html.split('id="skp-dikembalikan"')[1].split("</div>")[0]
        assert "Perjelas target indikator kedua" in banner
        assert "Kabid Uji" in banner
        assert re.search(r"\d{1,2} [A-Z][a-z]+ \d{4} \d{2}\.\d{2} WIB", banner)
        assert html.index('id="skp-dikembalikan"') < html.index('id="hasil-kerja"')


def test_the_banner_is_in_indonesian(app, login, draft):
    people, _, skp_id, _ = draft
    returned(app, people, skp_id, "Perbaiki")
    html = login(people.staff).get(f"/skp/{skp_id}").get_data(as_text=True)
    banner = html.split('id="skp-dikembalikan"')[1].split("</div>")[0]
    assert "Returned by" not in banner
    months = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember")  # fmt: skip
    assert any(month in banner for month in months)


def test_a_draft_or_approved_skp_has_no_banner(login, draft):
    people, _, skp_id, _ = draft
    assert 'id="skp-dikembalikan"' not in login(people.staff).get(f"/skp/{skp_id}").get_data(
        as_text=True
    )


# --- the atasan's forms keep what was typed (issue 14, finding d) ---------------------------


@pytest.fixture()
def submitted(app, draft):  # noqa: ANN001, ANN201
    """The draft of ``draft``, submitted to the atasan."""
    from app.extensions import db
    from app.services import skp as skp_service

    people, _, skp_id, _ = draft
    with app.test_request_context():
        skp_service.submit(db.session, skp_id, viewer_of(app, people.staff))
        db.session.commit()
    return people, skp_id


def skp_status(app, skp_id: int) -> str:  # noqa: ANN001
    from app.extensions import db
    from app.models.skp import Skp

    with app.app_context():
        db.session.expire_all()
        return db.session.get(Skp, skp_id).status


def test_a_return_without_a_note_is_marked_on_the_note(app, login, submitted):
    people, skp_id = submitted
    response = login(people.atasan).post(f"/skp/{skp_id}/kembalikan", data={"catatan": " "})
    assert response.status_code == 422
    assert 'data-field-error="catatan"' in response.get_data(as_text=True)
    assert skp_status(app, skp_id) == "diajukan"


def test_a_stale_return_keeps_the_note_typed(app, login, submitted):
    people, skp_id = submitted
    note = "Perjelas target triwulan dan satuannya"
    response = login(people.atasan).post(
        f"/skp/{skp_id}/kembalikan", data={"catatan": note, "version_id": "999"}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f"{note}</textarea>" in html and 'id="form-refused"' in html
    assert re.search(r'id="form-kembalikan" data-warn-unsaved data-unsaved', html)
    assert skp_status(app, skp_id) == "diajukan"


def test_refused_expectations_come_back_as_typed_with_the_field_marked(app, login, submitted):
    from app.extensions import db
    from app.models.skp import Skp

    people, skp_id = submitted
    response = login(people.atasan).post(
        f"/skp/{skp_id}/ekspektasi",
        data={"ekspektasi_1": "Ramah kepada warga", "ekspektasi_2": "x" * 5001},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Ramah kepada warga</textarea>" in html
    assert 'data-field-error="ekspektasi_2"' in html
    assert re.search(r'id="form-ekspektasi" data-warn-unsaved data-unsaved', html)
    with app.app_context():
        assert not [p for p in db.session.get(Skp, skp_id).perilaku_kerja if p.ekspektasi_khusus]


def test_stale_expectations_keep_what_was_typed(app, login, submitted):
    people, skp_id = submitted
    response = login(people.atasan).post(
        f"/skp/{skp_id}/ekspektasi",
        data={"ekspektasi_3": "Terus belajar aplikasi baru", "version_id": "999"},
    )
    assert response.status_code == 409
    assert "Terus belajar aplikasi baru</textarea>" in response.get_data(as_text=True)


def test_expectations_are_saved_and_the_page_follows(app, login, submitted):
    people, skp_id = submitted
    atasan = login(people.atasan)
    response = atasan.post(f"/skp/{skp_id}/ekspektasi", data={"ekspektasi_1": "Ramah"})
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/skp/{skp_id}#perilaku-kerja"
    )
    assert "Ramah</textarea>" in atasan.get(f"/skp/{skp_id}").get_data(as_text=True)
