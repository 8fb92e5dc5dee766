"""A refused rating or objection comes back as typed (issue 14: no lost work), for the right
role; the wrong role still gets 403 and nothing is written."""

from __future__ import annotations

import pytest

from tests.factories import approved_evaluations, fill_realisasi, viewer_of


@pytest.fixture()
def submitted(app):  # noqa: ANN001, ANN201
    """A chain whose staff submitted the realisasi of tw1."""
    from app.extensions import db
    from app.services import penilaian as penilaian_service

    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    with app.test_request_context():
        penilaian_service.submit(db.session, rows["tw1"], viewer_of(app, people.staff))
        db.session.commit()
    return people, rows["tw1"]


def status_of(app, penilaian_id: int) -> str:  # noqa: ANN001
    from app.extensions import db
    from app.models.penilaian import Penilaian

    with app.app_context():
        db.session.expire_all()
        return db.session.get(Penilaian, penilaian_id).status


def test_a_rating_without_its_choices_comes_back_with_the_feedback_typed(app, login, submitted):
    people, penilaian_id = submitted
    response = login(people.atasan).post(
        f"/penilaian/{penilaian_id}/nilai",
        data={"umpan_balik": "Laporan rapi, perlu lebih cepat", "umpan_balik_1": "Ramah"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'data-field-error="rating_hasil_kerja"' in html
    assert "Laporan rapi, perlu lebih cepat</textarea>" in html
    assert "Ramah</textarea>" in html
    assert "data-unsaved" in html
    assert status_of(app, penilaian_id) == "diajukan"


def test_a_stale_objection_keeps_its_reason(app, login, submitted):
    from app.extensions import db
    from app.services import penilaian as penilaian_service

    people, penilaian_id = submitted
    with app.test_request_context():
        penilaian_service.rate(
            db.session, penilaian_id, viewer_of(app, people.atasan), "di_bawah", "sesuai"
        )
        db.session.commit()
    response = login(people.staff).post(
        f"/penilaian/{penilaian_id}/keberatan",
        data={"alasan": "Target sudah tercapai penuh", "version_id": "1"},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="form-refused"' in html
    assert "Target sudah tercapai penuh</textarea>" in html
    assert status_of(app, penilaian_id) == "dinilai"


def test_the_pegawai_cannot_rate_their_own_evaluation(app, login, submitted):
    people, penilaian_id = submitted
    response = login(people.staff).post(
        f"/penilaian/{penilaian_id}/nilai",
        data={"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "di_atas"},
    )
    assert response.status_code == 403
    assert status_of(app, penilaian_id) == "diajukan"


def test_a_colleague_gets_404(app, login, submitted):
    people, penilaian_id = submitted
    response = login(people.colleague).post(
        f"/penilaian/{penilaian_id}/nilai",
        data={"rating_hasil_kerja": "di_atas", "rating_perilaku_kerja": "di_atas"},
    )
    assert response.status_code == 404
