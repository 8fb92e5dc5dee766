"""What the REST API answers to bad input: 400/422 with a message in the user's language
(Indonesian by default, English under the English locale), never 500 — the cases issue 11
found, and marshmallow's validation messages."""

from __future__ import annotations

import re

import pytest

from tests.factories import new_chain

RESOURCES = [
    "pegawai",
    "unit_kerja",
    "jabatan",
    "pangkat",
    "periode",
    "skp",
    "rencana_hasil_kerja",
    "indikator_kinerja",
    "realisasi",
    "predikat_organisasi",
]


@pytest.mark.parametrize("query", ["1-2", "(a:", "!", "--", "1e"])
def test_a_q_that_prison_cannot_read_answers_400_even_before_login(app, api, query):
    anonymous = app.test_client().get("/api/v1/pegawai/", query_string={"q": query})
    assert anonymous.status_code == 400
    assert anonymous.get_json()["message"] == "Parameter q bukan Rison atau JSON yang sah."
    client, headers = api("admin")
    response = client.get("/api/v1/pegawai/", query_string={"q": query}, headers=headers)
    assert response.status_code == 400


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("body", ["[]", "null", "1", '"teks"'])
def test_a_json_body_that_is_not_an_object_answers_400(api, resource, body):
    client, headers = api("admin")
    headers = {**headers, "Content-Type": "application/json"}
    for method, path in (("put", f"/api/v1/{resource}/1"), ("post", f"/api/v1/{resource}/")):
        response = getattr(client, method)(path, data=body, headers=headers)
        assert response.status_code == 400, (method, path, response.get_json())
        assert response.get_json()["message"] == "Isi permintaan harus berupa objek JSON."


def test_an_unknown_field_a_missing_one_a_wrong_type_and_a_wrong_choice_in_indonesian(api):
    client, headers = api("admin")
    response = client.post(
        "/api/v1/jabatan/",
        json={"jenis": "raja", "jenjang": 5, "gelar": "x"},
        headers=headers,
    )
    assert response.status_code == 422
    messages = response.get_json()["message"]
    assert messages["gelar"] == ["Kolom tidak dikenal."]
    assert messages["nama"] == ["Kolom ini wajib diisi."]
    assert messages["jenjang"] == ["Bukan teks yang sah."]
    assert messages["jenis"][0].startswith("Harus salah satu dari: jpt, administrator")


def test_validation_messages_follow_the_english_locale(app):
    from tests.conftest import PASSWORD

    client = app.test_client()
    assert client.post("/login/", data={"username": "admin", "password": PASSWORD}).status_code
    client.get("/lang/en")
    response = client.post("/api/v1/jabatan/", json={"jenis": "raja", "gelar": "x"})
    assert response.status_code == 422
    messages = response.get_json()["message"]
    assert messages["gelar"] == ["Unknown field."]
    assert messages["nama"] == ["This field is required."]
    assert messages["jenis"][0].startswith("Must be one of: jpt")


def test_an_rhk_with_an_intervensi_that_is_no_number_is_refused_on_the_page(app, login):
    from sqlalchemy import select

    from app.extensions import db
    from app.models.master import Pegawai, Periode
    from app.models.skp import Skp

    people = new_chain(app)
    with app.app_context():
        staff = db.session.execute(select(Pegawai).where(Pegawai.nip == people.staff)).scalar_one()
        year = db.session.execute(
            select(Periode.id).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        skp = Skp(pegawai_id=staff.id, periode_id=year, pendekatan="kuantitatif", status="draft")
        db.session.add(skp)
        db.session.commit()
        skp_id = skp.id
    browser = login(people.staff)
    response = browser.post(
        f"/skp/{skp_id}/rhk",
        data={"jenis": "utama", "uraian": "Laporan", "intervensi_id": "abc"},
        follow_redirects=True,
    )
    assert response.status_code == 422  # the form comes back with what was typed
    assert "Isian ini harus berupa bilangan bulat." in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.get(Skp, skp_id).rencana_hasil_kerja


def test_the_api_refuses_an_intervensi_that_is_no_number_on_its_field(app, api):
    people = new_chain(app)
    client, headers = api(people.staff)
    year = client.get(
        "/api/v1/periode/?q=(filters:!((col:aktif,opr:eq,value:!t),(col:jenis,opr:eq,value:tahunan)))",
        headers=headers,
    ).get_json()["ids"][0]
    skp = client.post("/api/v1/skp/", json={"periode_id": year}, headers=headers).get_json()
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp["id"], "jenis": "utama", "uraian": "X", "intervensi_id": "abc"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json() == {
        "message": "Isian ini harus berupa bilangan bulat.",
        "field": "intervensi_id",
    }


def model_apis(app) -> list:  # noqa: ANN001
    from app.api.base import SikapModelApi

    return [view for view in app.appbuilder.baseviews if isinstance(view, SikapModelApi)]


def test_every_resource_titles_itself_in_indonesian(app, api, cast):
    """FAB titles each answer "List Penilaian", "Show Penilaian", "Add …", "Edit …" in English
    whatever the reader's language; a list and its _info say what the resource holds in the
    reader's words."""
    client, headers = api(cast.admin)
    apis = model_apis(app)
    assert len(apis) >= 15
    english = re.compile(r"\b(List|Show|Add|Edit|Api)\b")
    for view in apis:
        base = f"/api/v1/{view.resource_name}/"
        listed = client.get(base, headers=headers).get_json()
        info = client.get(base + "_info", headers=headers).get_json()
        titles = [listed["list_title"], info["add_title"], info["edit_title"]]
        assert listed["list_title"].startswith("Daftar "), (base, titles)
        assert info["add_title"].startswith("Tambah "), (base, titles)
        assert info["edit_title"].startswith("Ubah "), (base, titles)
        assert not any(english.search(title) for title in titles), (base, titles)
    realisasi = client.get("/api/v1/realisasi/", headers=headers).get_json()
    assert realisasi["list_title"] == "Daftar Realisasi"
    unit = client.get("/api/v1/unit_kerja/", headers=headers).get_json()["ids"][0]
    shown = client.get(f"/api/v1/unit_kerja/{unit}", headers=headers).get_json()
    assert shown["show_title"] == "Rincian Unit Kerja"


def test_titles_follow_the_english_locale(app):
    from tests.conftest import PASSWORD

    client = app.test_client()
    assert client.post("/login/", data={"username": "admin", "password": PASSWORD}).status_code
    client.get("/lang/en")
    listed = client.get("/api/v1/penilaian/").get_json()
    assert listed["list_title"] == "Evaluation list"
