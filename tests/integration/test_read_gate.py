"""One read gate (scope.get): the rows a viewer can GET through the REST API are the rows the
pages show, per resource and role; the atasan pejabat penilai who decides an objection sees
that evaluation through both doors, and nothing else of the pegawai."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import approved_evaluations, fill_realisasi

ROLES = ("admin", "pimpinan", "atasan", "staff", "other_staff", "outsider", "outsider_atasan")


def _ids(app, model, owners) -> list[int]:
    """The ids of ``model`` rows owned by the pegawai with these NIPs."""
    from app.extensions import db
    from app.models.master import Pegawai
    from app.models.skp import Skp

    with app.app_context():
        query = select(model.id).order_by(model.id)
        if model is not Skp:
            query = query.join(Skp, model.skp_id == Skp.id)
        query = query.join(Pegawai, Skp.pegawai_id == Pegawai.id).where(Pegawai.nip.in_(owners))
        return list(db.session.execute(query).scalars())


def _sample(app, model, size: int = 30) -> list[int]:
    """Rows spread over the whole city, whoever owns them."""
    from app.extensions import db

    with app.app_context():
        ids = list(db.session.execute(select(model.id).order_by(model.id)).scalars())
    return ids[:: max(1, len(ids) // size)]


def _page_sees(client, path: str) -> bool:
    status = client.get(path).status_code
    assert status in (200, 404), f"{path}: {status}"
    return status == 200


def _api_sees(client, headers, path: str) -> bool:
    status = client.get(path, headers=headers).status_code
    assert status in (200, 404), f"{path}: {status}"
    return status == 200


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("resource", "page", "model_name"),
    [("skp", "/skp/{}", "Skp"), ("penilaian", "/penilaian/{}", "Penilaian")],
)
def test_the_api_shows_a_viewer_exactly_the_rows_the_pages_show(
    app, cast, login, api, role, resource, page, model_name
):
    from app.models.penilaian import Penilaian
    from app.models.skp import Skp

    model = {"Skp": Skp, "Penilaian": Penilaian}[model_name]
    owners = [cast.staff, cast.other_staff, cast.outsider, cast.atasan, cast.pimpinan]
    ids = sorted(set(_ids(app, model, owners)) | set(_sample(app, model)))
    username = getattr(cast, role)
    browser = login(username)
    client, headers = api(username)
    by_page = {row for row in ids if _page_sees(browser, page.format(row))}
    by_api = {row for row in ids if _api_sees(client, headers, f"/api/v1/{resource}/{row}")}
    assert by_api == by_page
    if role == "outsider":
        assert not by_page & set(_ids(app, model, [cast.staff]))


def test_the_atasan_pejabat_penilai_sees_the_objection_they_decide_through_both_doors(
    app, api, login
):
    people, rows = approved_evaluations(app)
    tw2, tw1 = rows["tw2"], rows["tw1"]
    fill_realisasi(app, tw2)
    client, headers = api(people.staff)
    assert client.post(f"/api/v1/penilaian/{tw2}/submit", headers=headers).status_code == 200
    rater, rater_headers = api(people.atasan)
    rating = {"rating_hasil_kerja": "di_bawah", "rating_perilaku_kerja": "di_bawah"}
    response = rater.post(f"/api/v1/penilaian/{tw2}/rate", json=rating, headers=rater_headers)
    assert response.status_code == 200
    boss, boss_headers = api(people.boss)
    boss_page = login(people.boss)
    # Before the objection the boss (the atasan's own atasan) has no business with it.
    assert boss.get(f"/api/v1/penilaian/{tw2}", headers=boss_headers).status_code == 404
    assert boss_page.get(f"/penilaian/{tw2}").status_code == 404

    objection = {"alasan": "Target tercapai, bukti terlampir"}
    response = client.post(f"/api/v1/penilaian/{tw2}/object", json=objection, headers=headers)
    assert response.status_code == 200
    answer = boss.get(f"/api/v1/penilaian/{tw2}", headers=boss_headers)
    assert answer.status_code == 200
    assert answer.get_json()["result"]["status"] == "keberatan"
    assert boss_page.get(f"/penilaian/{tw2}").status_code == 200
    # The objection opens that evaluation only, not the pegawai's others.
    assert boss.get(f"/api/v1/penilaian/{tw1}", headers=boss_headers).status_code == 404
    assert boss_page.get(f"/penilaian/{tw1}").status_code == 404
    listed = boss.get("/api/v1/penilaian/", headers=boss_headers).get_json()["ids"]
    assert tw2 in listed
    assert tw1 not in listed

    decision = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai", "catatan": "OK"}
    response = boss.post(f"/api/v1/penilaian/{tw2}/decide", json=decision, headers=boss_headers)
    assert response.status_code == 200
    # After deciding, the decision stays readable to whoever made it.
    assert boss.get(f"/api/v1/penilaian/{tw2}", headers=boss_headers).status_code == 200
    assert boss_page.get(f"/penilaian/{tw2}").status_code == 200
