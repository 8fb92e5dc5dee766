"""Realisasi and bukti dukung through the REST API: the same rules as the pages (owner writes,
scope reads, read-only after submit), JSON errors with their status, uploads by multipart."""

from __future__ import annotations

import io
import os

import pytest

from tests.integration.test_realisasi_pages import (
    ApprovedSkp,
    approved_skp,
    bukti_of,
    penilaian_status,
    realisasi_of,
)
from tests.unit.test_uploads import EXE, PDF, png


@pytest.fixture()
def skp(app) -> ApprovedSkp:  # noqa: ANN001
    return approved_skp(app)


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(path))
    return path


def record(api, username: str, skp: ApprovedSkp, index: int = 0, nilai=6, jenis="tw1"):  # noqa: ANN001, ANN201
    client, headers = api(username)
    return client.post(
        "/api/v1/realisasi/",
        json={
            "indikator_kinerja_id": skp.indikator[index],
            "periode_id": skp.periode[jenis],
            "nilai": nilai,
            "catatan": "Lewat API",
        },
        headers=headers,
    )


def upload(api, username: str, realisasi_id: int, content: bytes, name: str):  # noqa: ANN001, ANN201
    client, headers = api(username)
    return client.post(
        "/api/v1/bukti_dukung/",
        data={"realisasi_id": str(realisasi_id), "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        headers=headers,
    )


def link(api, username: str, realisasi_id: int, url: str):  # noqa: ANN001, ANN201
    client, headers = api(username)
    return client.post(
        "/api/v1/bukti_dukung/", json={"realisasi_id": realisasi_id, "url": url}, headers=headers
    )


def test_owner_records_reads_and_changes_a_realisasi(app, api, skp):
    created = record(api, skp.people.staff, skp)
    assert created.status_code == 201, created.get_json()
    realisasi_id = created.get_json()["id"]
    client, headers = api(skp.people.staff)

    shown = client.get(f"/api/v1/realisasi/{realisasi_id}", headers=headers).get_json()
    assert shown["result"]["capaian"] == "50.00"
    assert shown["result"]["catatan"] == "Lewat API"
    listed = client.get(
        f"/api/v1/realisasi/?q=(filters:!((col:periode_id,opr:eq,value:{skp.periode['tw1']})))",
        headers=headers,
    ).get_json()
    assert listed["ids"] == [realisasi_id]
    assert listed["result"][0]["capaian"] == "50.00"

    changed = client.put(f"/api/v1/realisasi/{realisasi_id}", json={"nilai": "12"}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).catatan == "Lewat API"
    assert (
        client.get(f"/api/v1/realisasi/{realisasi_id}", headers=headers).get_json()["result"][
            "capaian"
        ]
        == "100.00"
    )


def test_a_second_realisasi_for_the_same_indikator_and_periode_is_409(api, skp):
    assert record(api, skp.people.staff, skp).status_code == 201
    second = record(api, skp.people.staff, skp, nilai=7)
    assert second.status_code == 409
    assert second.get_json()["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"indikator_kinerja_id": None, "nilai": 1}, "indikator_kinerja_id"),
        ({"indikator_kinerja_id": "x", "nilai": 1}, "indikator_kinerja_id"),
        ({"periode_id": None, "nilai": 1}, "periode_id"),
        ({"nilai": -1}, "nilai"),
        ({"nilai": "banyak"}, "nilai"),
        ({"nilai": 1, "catatan": "x" * 5001}, "catatan"),
        ({"nilai": 1, "catatan": 5}, "catatan"),
    ],
)
def test_invalid_input_is_422_with_its_field(api, skp, body, field):
    client, headers = api(skp.people.staff)
    body = {"indikator_kinerja_id": skp.indikator[0], "periode_id": skp.periode["tw1"]} | body
    response = client.post("/api/v1/realisasi/", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_atasan_reads_but_writes_nothing(app, api, skp):
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    atasan, headers = api(skp.people.atasan)
    assert atasan.get(f"/api/v1/realisasi/{realisasi_id}", headers=headers).status_code == 200
    assert record(api, skp.people.atasan, skp, index=1).status_code == 403
    put = atasan.put(f"/api/v1/realisasi/{realisasi_id}", json={"nilai": 99}, headers=headers)
    assert put.status_code == 403
    assert atasan.delete(f"/api/v1/realisasi/{realisasi_id}", headers=headers).status_code == 403
    assert link(api, skp.people.atasan, realisasi_id, "https://a.id").status_code == 403
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]).nilai == 6


@pytest.mark.parametrize("who", ["colleague", "outsider_atasan"])
def test_out_of_scope_is_404_and_absent_from_lists(app, api, cast, skp, folder, who):
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    bukti_id = upload(api, skp.people.staff, realisasi_id, PDF, "a.pdf").get_json()["id"]
    username = skp.people.colleague if who == "colleague" else cast.outsider_atasan
    client, headers = api(username)
    for path in (f"/api/v1/realisasi/{realisasi_id}", f"/api/v1/bukti_dukung/{bukti_id}"):
        assert client.get(path, headers=headers).status_code == 404
    download = client.get(f"/api/v1/bukti_dukung/{bukti_id}/download", headers=headers)
    assert download.status_code == 404 and PDF not in download.data
    listed = client.get("/api/v1/realisasi/?q=(page_size:100)", headers=headers).get_json()
    assert realisasi_id not in listed["ids"]
    listed = client.get("/api/v1/bukti_dukung/?q=(page_size:100)", headers=headers).get_json()
    assert bukti_id not in listed["ids"]
    put = client.put(f"/api/v1/realisasi/{realisasi_id}", json={"nilai": 1}, headers=headers)
    assert put.status_code == 404
    assert client.delete(f"/api/v1/bukti_dukung/{bukti_id}", headers=headers).status_code == 404
    assert record(api, username, skp, index=1).status_code == 404
    assert upload(api, username, realisasi_id, PDF, "b.pdf").status_code == 404
    assert len(bukti_of(app, realisasi_id)) == 1


def test_owner_uploads_and_atasan_downloads(app, api, skp, folder):
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    response = upload(api, skp.people.staff, realisasi_id, png(), "../foto kegiatan.png")
    assert response.status_code == 201, response.get_json()
    result = response.get_json()["result"]
    assert (result["jenis"], result["nama_file"], result["mime"]) == (
        "file",
        "foto kegiatan.png",
        "image/png",
    )
    assert "path" not in result
    client, headers = api(skp.people.atasan)
    download = client.get(
        f"/api/v1/bukti_dukung/{response.get_json()['id']}/download", headers=headers
    )
    assert download.status_code == 200
    assert download.data == png()
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_over_the_limit_is_413(app, api, skp, folder, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    for size in (1024 * 1024 + 1, 3 * 1024 * 1024):
        response = upload(api, skp.people.staff, realisasi_id, PDF + b"0" * size, "besar.pdf")
        assert response.status_code == 413
        assert "1 MB" in response.get_json()["message"]
    assert bukti_of(app, realisasi_id) == []
    assert not folder.exists() or os.listdir(folder) == []


@pytest.mark.parametrize(
    ("content", "name"), [(png(), "laporan.pdf"), (EXE, "laporan.pdf"), (PDF, "laporan.svg")]
)
def test_a_disguised_or_unknown_file_is_422(app, api, skp, folder, content, name):
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    response = upload(api, skp.people.staff, realisasi_id, content, name)
    assert response.status_code == 422
    assert response.get_json()["field"] == "berkas"
    assert os.listdir(folder) == []


def test_links_are_http_or_https_only(app, api, skp):
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    assert link(api, skp.people.staff, realisasi_id, "javascript:alert(1)").status_code == 422
    assert (
        link(api, skp.people.staff, realisasi_id, "https://a.id/" + "x" * 2000).status_code == 422
    )
    created = link(api, skp.people.staff, realisasi_id, "https://drive.dumaikota.go.id/tw1")
    assert created.status_code == 201
    assert created.get_json()["result"]["url"] == "https://drive.dumaikota.go.id/tw1"


def test_submit_is_refused_until_complete_then_everything_is_read_only(app, api, skp, folder):
    client, headers = api(skp.people.staff)
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    bukti_id = upload(api, skp.people.staff, realisasi_id, PDF, "a.pdf").get_json()["id"]
    submit = f"/api/v1/penilaian/{skp.penilaian['tw1']}/submit"
    refused = client.post(submit, headers=headers)
    assert refused.status_code == 422 and "Tepat waktu" in refused.get_json()["message"]

    assert record(api, skp.people.staff, skp, index=1, nilai=3).status_code == 201
    assert client.post(submit, headers=headers).status_code == 200
    assert penilaian_status(app, skp.penilaian["tw1"]) == "diajukan"

    put = client.put(f"/api/v1/realisasi/{realisasi_id}", json={"nilai": 1}, headers=headers)
    assert put.status_code == 409 and put.get_json()["message"]
    assert client.delete(f"/api/v1/realisasi/{realisasi_id}", headers=headers).status_code == 409
    assert client.delete(f"/api/v1/bukti_dukung/{bukti_id}", headers=headers).status_code == 409
    assert upload(api, skp.people.staff, realisasi_id, PDF, "b.pdf").status_code == 409
    assert link(api, skp.people.staff, realisasi_id, "https://a.id").status_code == 409
    assert len(bukti_of(app, realisasi_id)) == 1 and len(os.listdir(folder)) == 1
    assert record(api, skp.people.staff, skp, jenis="tw2").status_code == 201  # tw2 still open


def test_deleting_a_realisasi_takes_its_evidence_and_files(app, api, skp, folder):
    client, headers = api(skp.people.staff)
    realisasi_id = record(api, skp.people.staff, skp).get_json()["id"]
    upload(api, skp.people.staff, realisasi_id, PDF, "a.pdf")
    link(api, skp.people.staff, realisasi_id, "https://a.id")
    assert len(os.listdir(folder)) == 1
    response = client.delete(f"/api/v1/realisasi/{realisasi_id}", headers=headers)
    assert response.status_code == 200
    assert realisasi_of(app, skp.indikator[0], skp.periode["tw1"]) is None
    assert bukti_of(app, realisasi_id) == []
    assert os.listdir(folder) == []
