"""Input the database cannot hold answers 4xx, never 500 (regressions of the schemathesis run,
tests/integration/test_api_fuzz.py): an id past INTEGER in a path, a body or a query string, a
duplicate of a unique row, an indikator target outside Numeric(14, 2), and an OpenAPI document
whose bounds are numbers."""

from __future__ import annotations

import pytest

from tests.factories import new_chain, skp_with_rhk

HUGE = 10**30


def out_of_range_message(app) -> str:  # noqa: ANN001
    """app.web.OUT_OF_RANGE as the user reads it (Indonesian, the default locale)."""
    from flask_babel import gettext

    from app.web import OUT_OF_RANGE

    with app.test_request_context():
        return gettext(OUT_OF_RANGE)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"/api/v1/skp/{HUGE}"),
        ("put", f"/api/v1/skp/{HUGE}"),
        ("delete", f"/api/v1/jabatan/{HUGE}"),
        ("delete", f"/api/v1/bukti_dukung/{2**31}"),
        ("get", f"/api/v1/bukti_dukung/{HUGE}/download"),
        ("post", f"/api/v1/penilaian/{HUGE}/rate"),
        ("put", "/api/v1/pegawai/abc"),
    ],
)
def test_an_id_that_names_no_row_answers_404(api, method, path):
    client, headers = api("admin")
    response = getattr(client, method)(path, json={}, headers=headers)
    assert response.status_code in (404, 422), response.status_code
    assert response.status_code != 500


@pytest.mark.parametrize(
    "path", [f"/skp/{HUGE}", f"/penilaian/{HUGE}", f"/realisasi/bukti/{HUGE}/unduh"]
)
def test_a_page_for_an_id_past_integer_answers_404(login, path):
    assert login("admin").get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/skp/monitoring/?unit_kerja_id={HUGE}",
        f"/kepatuhan/?unit_kerja_id={HUGE}",
        f"/laporan/pegawai.xlsx?unit_kerja_id={HUGE}",
        f"/pelatihan/?unit_kerja_id={HUGE}",
    ],
)
def test_a_page_filter_past_integer_is_refused_not_a_500(login, path):
    assert login("admin").get(path).status_code in (400, 404)


def test_an_id_past_integer_in_a_body_or_a_filter_answers_422_with_the_reason(app, api):
    client, headers = api("admin")
    created = client.post(
        "/api/v1/realisasi/",
        json={"indikator_kinerja_id": HUGE, "periode_id": 1, "nilai": 1},
        headers=headers,
    )
    listed = client.get(
        f"/api/v1/skp/?q=(filters:!((col:pegawai_id,opr:eq,value:{HUGE})))", headers=headers
    )
    report = client.get(f"/api/v1/laporan/pegawai.xlsx?unit_kerja_id={HUGE}", headers=headers)
    for response in (created, listed, report):
        assert response.status_code in (400, 404, 422), response.status_code
        if response.status_code == 422:
            assert response.get_json()["message"] == out_of_range_message(app)


def test_a_duplicate_of_a_unique_row_answers_409(api):
    client, headers = api("admin")
    body = {"kode": "Z/dup", "nama": "Duplikat", "jenis_asn": "pns", "urutan": 950}
    first = client.post("/api/v1/pangkat/", json=body, headers=headers)
    assert first.status_code == 201
    try:
        again = client.post("/api/v1/pangkat/", json=body, headers=headers)
        assert again.status_code == 409
        assert again.get_json()["message"].startswith("Data bertentangan")
    finally:
        client.delete(f"/api/v1/pangkat/{first.get_json()['id']}", headers=headers)


@pytest.mark.parametrize("target", [0, -1, "0", 10**12, 1e13, "abc"])
def test_api_indikator_target_outside_its_column_is_refused(app, api, target):
    people = new_chain(app)
    _, rhk_id = skp_with_rhk(app, people.staff, "Arsip")
    client, headers = api(people.staff)
    response = client.post(
        "/api/v1/indikator_kinerja/",
        json={
            "rencana_hasil_kerja_id": rhk_id,
            "aspek": "kuantitas",
            "uraian": "Jumlah",
            "target": target,
            "satuan": "dokumen",
        },
        headers=headers,
    )
    assert response.status_code in (400, 422), response.get_json()


def test_openapi_bounds_are_numbers(api):
    client, headers = api("admin")
    spec = client.get("/api/v1/_openapi", headers=headers).get_json()
    bounds = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
                    bounds.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    assert all(isinstance(value, (int, float, bool)) for value in bounds), bounds


def test_workflow_bodies_of_the_wrong_type_answer_422_not_500(app, api):
    """Found by the property tests: a list, number or object where a rating or a note is
    expected reached ``value not in dict`` / ``value.strip()`` and answered 500."""
    from tests.factories import (
        approved_evaluations,
        chain_with_submitted_skps,
        fill_realisasi,
    )

    people, rows = approved_evaluations(app)
    tw1 = rows["tw1"]
    fill_realisasi(app, tw1)
    staff, staff_headers = api(people.staff)
    atasan, atasan_headers = api(people.atasan)
    assert staff.post(f"/api/v1/penilaian/{tw1}/submit", headers=staff_headers).status_code == 200
    rate = f"/api/v1/penilaian/{tw1}/rate"
    for body in (
        {"rating_hasil_kerja": ["di_atas"], "rating_perilaku_kerja": "sesuai"},
        {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": {"x": 1}},
        {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "sesuai", "umpan_balik": [1]},
    ):
        response = atasan.post(rate, json=body, headers=atasan_headers)
        assert response.status_code == 422, (body, response.status_code)
        assert response.get_json()["message"]
    rated = {"rating_hasil_kerja": "sesuai", "rating_perilaku_kerja": "di_bawah"}
    assert atasan.post(rate, json=rated, headers=atasan_headers).status_code == 200
    objection = staff.post(
        f"/api/v1/penilaian/{tw1}/object", json={"alasan": 5}, headers=staff_headers
    )
    assert objection.status_code == 422

    chain, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, chain.staff, "Arsip", intervensi_id=atasan_rhk, submit=True)
    client, headers = api(chain.atasan)
    for action, body in (("return", {"catatan": ["x"]}), ("approve", {"catatan": 5})):
        response = client.post(f"/api/v1/skp/{skp_id}/{action}", json=body, headers=headers)
        assert response.status_code == 422, (action, response.status_code)
