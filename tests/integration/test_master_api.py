"""The master data REST API (CONTRACT.md, REST API): JWT login, Rison queries, and writes that
answer a broken rule with 4xx and an Indonesian ``message`` — never a 500."""

from __future__ import annotations

import itertools
from datetime import date

import prison
import pytest
from sqlalchemy import select

from app.domain.errors import DomainError
from app.domain.nip import parse_nip
from app.extensions import db
from app.models.master import Pegawai, UnitKerja

_sequence = itertools.count(1)
RESOURCES = ["unit_kerja", "jabatan", "pangkat", "periode", "pegawai", "audit_log"]


def fresh_nip() -> tuple[str, date]:
    """A valid NIP no demo pegawai can have (demo people are born before 2001)."""
    seq = next(_sequence)
    lahir = date(2002, 1 + seq // 28 % 12, 1 + seq % 28)
    return f"{lahir:%Y%m%d}202101{seq % 2 + 1}{seq % 999 + 1:03d}", lahir


def english(error_raising) -> str:  # noqa: ANN001
    """The untranslated message of the domain rule ``error_raising`` breaks."""
    with pytest.raises(DomainError) as caught:
        error_raising()
    return str(caught.value)


def assert_indonesian(body: dict, untranslated: str) -> None:
    message = body.get("message")
    assert isinstance(message, str) and message, body
    assert message != untranslated, f"not translated: {message!r}"


@pytest.fixture()
def admin(api):  # noqa: ANN001, ANN201
    return api("admin")


@pytest.fixture()
def unit_id(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.execute(select(UnitKerja.id).filter_by(kode="DINKES")).scalar_one()


def pegawai_body(unit: int, **changes: object) -> dict:
    nip, lahir = fresh_nip()
    body = {
        "nip": nip,
        "nama": f"Pegawai Uji Api {nip[-4:]}",
        "jenis_asn": "pns",
        "jenis_kelamin": nip[14],
        "tanggal_lahir": lahir.isoformat(),
        "unit_kerja_id": unit,
        "aktif": True,
    }
    return {**body, **changes}


def count_named(app, nama: str) -> int:  # noqa: ANN001
    with app.app_context():
        return len(db.session.execute(select(Pegawai.id).filter_by(nama=nama)).all())


def post_pegawai(admin, body: dict):  # noqa: ANN001, ANN201
    client, headers = admin
    return client.post("/api/v1/pegawai/", json=body, headers=headers)


# --- login --------------------------------------------------------------------------------


def test_login_gives_a_jwt_that_opens_the_api(app):
    client = app.test_client()
    response = client.post(
        "/api/v1/security/login",
        json={"username": "admin", "password": "dumai2026", "provider": "db"},
    )
    assert response.status_code == 200
    token = response.get_json()["access_token"]
    listing = client.get("/api/v1/jabatan/", headers={"Authorization": f"Bearer {token}"})
    assert listing.status_code == 200


def test_login_with_a_wrong_password_is_refused(app):
    response = app.test_client().post(
        "/api/v1/security/login",
        json={"username": "admin", "password": "salah", "provider": "db"},
    )
    assert response.status_code == 401
    assert "access_token" not in response.get_json()


def test_api_without_a_token_answers_401(app):
    assert app.test_client().get("/api/v1/pegawai/").status_code == 401


# --- reading ------------------------------------------------------------------------------


def test_list_answers_count_ids_and_result(admin):
    client, headers = admin
    body = client.get("/api/v1/pegawai/", headers=headers).get_json()
    assert {"count", "ids", "result"} <= set(body)
    assert len(body["result"]) == len(body["ids"]) == 25 < body["count"]


def test_rison_filter_finds_one_pegawai_by_nip(admin, cast):
    client, headers = admin
    q = prison.dumps({"filters": [{"col": "nip", "opr": "eq", "value": cast.outsider}]})
    body = client.get(f"/api/v1/pegawai/?q={q}", headers=headers).get_json()
    assert body["count"] == 1
    assert body["result"][0]["nip"] == cast.outsider


def test_rison_filter_by_unit_with_paging(admin, app, unit_id):
    client, headers = admin
    with app.app_context():
        in_unit = set(
            db.session.execute(select(Pegawai.id).filter_by(unit_kerja_id=unit_id)).scalars()
        )
    q = prison.dumps(
        {"filters": [{"col": "unit_kerja_id", "opr": "eq", "value": unit_id}], "page_size": 100}
    )
    body = client.get(f"/api/v1/pegawai/?q={q}", headers=headers).get_json()
    assert body["count"] == len(in_unit)
    assert set(body["ids"]) == in_unit


# --- writing a pegawai --------------------------------------------------------------------


def test_post_valid_pegawai_answers_201_and_saves_it(admin, app, unit_id):
    body = pegawai_body(unit_id)
    response = post_pegawai(admin, body)
    assert response.status_code == 201
    created = response.get_json()
    assert created["result"]["nip"] == body["nip"]
    with app.app_context():
        saved = db.session.get(Pegawai, created["id"])
        assert (saved.nip, saved.unit_kerja_id) == (body["nip"], unit_id)


@pytest.mark.parametrize(
    "nip",
    ["20020101202101100X", "2002010120210110", "200213012021011001", "200201012021011000"],
    ids=["letter", "too-short", "month-13", "sequence-000"],
)
def test_post_pegawai_with_invalid_nip_answers_422_in_indonesian(admin, app, unit_id, nip):
    body = pegawai_body(unit_id, nip=nip)
    response = post_pegawai(admin, body)
    assert response.status_code == 422
    assert response.get_json()["field"] == "nip"
    assert_indonesian(response.get_json(), english(lambda: parse_nip(nip)))
    assert "NIP" in response.get_json()["message"]
    assert count_named(app, body["nama"]) == 0


def test_post_pegawai_with_a_registered_nip_answers_422_in_indonesian(admin, app, unit_id, cast):
    body = pegawai_body(unit_id, nip=cast.outsider, jenis_kelamin=None, tanggal_lahir=None)
    response = post_pegawai(admin, body)
    assert response.status_code == 422
    assert_indonesian(response.get_json(), f"NIP {cast.outsider} is already registered.")
    assert cast.outsider in response.get_json()["message"]
    assert count_named(app, body["nama"]) == 0


def test_post_pegawai_with_birth_date_not_matching_the_nip_answers_422(admin, app, unit_id):
    body = pegawai_body(unit_id, tanggal_lahir="1999-09-09")
    response = post_pegawai(admin, body)
    assert response.status_code == 422
    assert response.get_json()["field"] == "tanggal_lahir"
    assert count_named(app, body["nama"]) == 0


def test_post_pegawai_with_unknown_unit_kerja_answers_422_not_500(admin, app, unit_id):
    body = pegawai_body(unit_id, unit_kerja_id=987654)
    response = post_pegawai(admin, body)
    assert response.status_code == 422
    assert isinstance(response.get_json()["message"], str)
    assert count_named(app, body["nama"]) == 0


@pytest.mark.parametrize("jenis_asn", ["honorer", "PNS", ""])
def test_post_pegawai_with_unknown_jenis_asn_is_refused(admin, app, unit_id, jenis_asn):
    body = pegawai_body(unit_id, jenis_asn=jenis_asn)
    response = post_pegawai(admin, body)
    assert response.status_code in (400, 422)
    assert count_named(app, body["nama"]) == 0


def test_post_pegawai_with_an_unreadable_date_is_refused(admin, app, unit_id):
    body = pegawai_body(unit_id, tanggal_lahir="kemarin")
    response = post_pegawai(admin, body)
    assert response.status_code in (400, 422)
    assert count_named(app, body["nama"]) == 0


def test_put_of_one_field_keeps_the_others(admin, app, unit_id):
    created = post_pegawai(admin, pegawai_body(unit_id)).get_json()
    client, headers = admin
    response = client.put(
        f"/api/v1/pegawai/{created['id']}", json={"gelar_belakang": "S.T."}, headers=headers
    )
    assert response.status_code == 200
    result = response.get_json()["result"]
    assert (result["gelar_belakang"], result["nip"]) == ("S.T.", created["result"]["nip"])


def test_put_atasan_to_a_subordinate_answers_422_in_indonesian(admin, app, unit_id):
    kepala = post_pegawai(admin, pegawai_body(unit_id)).get_json()["id"]
    staf = post_pegawai(admin, pegawai_body(unit_id, atasan_id=kepala)).get_json()["id"]
    client, headers = admin
    response = client.put(f"/api/v1/pegawai/{kepala}", json={"atasan_id": staf}, headers=headers)
    assert response.status_code == 422
    assert_indonesian(
        response.get_json(), "This supervisor would create a cycle in the chain of command."
    )
    with app.app_context():
        assert db.session.get(Pegawai, kepala).atasan_id is None


def test_put_atasan_to_oneself_answers_422_in_indonesian(admin, app, unit_id):
    me = post_pegawai(admin, pegawai_body(unit_id)).get_json()["id"]
    client, headers = admin
    response = client.put(f"/api/v1/pegawai/{me}", json={"atasan_id": me}, headers=headers)
    assert response.status_code == 422
    assert_indonesian(response.get_json(), "An employee cannot be their own supervisor.")
    with app.app_context():
        assert db.session.get(Pegawai, me).atasan_id is None


def test_put_unknown_pegawai_answers_404(admin):
    client, headers = admin
    response = client.put("/api/v1/pegawai/987654", json={"nama": "Siapa"}, headers=headers)
    assert response.status_code == 404


# --- writing the unit tree ----------------------------------------------------------------


def post_unit(admin, **body: object):  # noqa: ANN001, ANN201
    client, headers = admin
    return client.post("/api/v1/unit_kerja/", json=body, headers=headers)


def test_post_unit_under_a_parent_gets_its_full_name(admin, unit_id):
    n = next(_sequence)
    created = post_unit(
        admin, kode=f"API-U-{n}", nama="Bidang Api", jenis="bidang", parent_id=unit_id
    )
    assert created.status_code == 201
    client, headers = admin
    shown = client.get(f"/api/v1/unit_kerja/{created.get_json()['id']}", headers=headers)
    assert shown.get_json()["result"]["nama_lengkap"] == (
        "Pemerintah Kota Dumai › Dinas Kesehatan › Bidang Api"
    )


def test_put_unit_under_its_own_sub_unit_answers_422(admin, app, unit_id):
    n = next(_sequence)
    bidang = post_unit(admin, kode=f"API-B-{n}", nama="Bidang", jenis="bidang", parent_id=unit_id)
    bidang_id = bidang.get_json()["id"]
    seksi = post_unit(admin, kode=f"API-S-{n}", nama="Seksi", jenis="seksi", parent_id=bidang_id)
    client, headers = admin
    response = client.put(
        f"/api/v1/unit_kerja/{bidang_id}",
        json={"parent_id": seksi.get_json()["id"]},
        headers=headers,
    )
    assert response.status_code == 422
    assert_indonesian(
        response.get_json(), "A unit cannot be placed under itself or one of its sub-units."
    )
    with app.app_context():
        assert db.session.get(UnitKerja, bidang_id).parent_id == unit_id


def test_post_unit_under_an_unknown_parent_answers_422(admin, app):
    kode = f"API-X-{next(_sequence)}"
    response = post_unit(admin, kode=kode, nama="Tanpa Induk", jenis="bidang", parent_id=987654)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.execute(select(UnitKerja.id).filter_by(kode=kode)).first() is None


def test_post_unit_with_unknown_jenis_is_refused(admin):
    response = post_unit(
        admin, kode=f"API-J-{next(_sequence)}", nama="X", jenis="kantor", parent_id=1
    )
    assert response.status_code in (400, 422)


# --- the API as a whole -------------------------------------------------------------------


def test_openapi_lists_every_master_resource(admin):
    client, headers = admin
    response = client.get("/api/v1/_openapi", headers=headers)
    assert response.status_code == 200
    paths = response.get_json()["paths"]
    for resource in RESOURCES:
        assert f"/api/v1/{resource}/" in paths, resource
        assert f"/api/v1/{resource}/{{pk}}" in paths, resource


def test_openapi_shows_audit_log_as_read_only(admin):
    client, headers = admin
    paths = client.get("/api/v1/_openapi", headers=headers).get_json()["paths"]
    assert set(paths["/api/v1/audit_log/{pk}"]) == {"get"}
    assert "post" not in paths["/api/v1/audit_log/"]


def test_health_answers_without_login_and_without_data(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_info_never_shows_the_catalogue_header_as_a_description(api):
    """FAB translates a missing description as gettext(""): the .po header, not a text."""
    client, headers = api("admin")
    paths = client.get("/api/v1/_openapi", headers=headers).get_json()["paths"]
    infos = [path for path in paths if path.endswith("/_info")]
    assert infos
    for path in infos:
        body = client.get(path, headers=headers).get_data(as_text=True)
        assert "Project-Id-Version" not in body, path


def test_deleting_a_pegawai_who_has_an_skp_is_refused_and_nothing_is_orphaned(app, api):
    """Foreign keys hold on SQLite as on PostgreSQL (app/extensions.py)."""
    from app.models.skp import Skp
    from tests.factories import new_chain, skp_with_rhk

    people = new_chain(app)
    skp_id, _ = skp_with_rhk(app, people.boss, "Perencanaan", penugasan_dari="Wali Kota")
    with app.app_context():
        boss_id = db.session.execute(select(Pegawai.id).filter_by(nip=people.boss)).scalar_one()
    client, headers = api("admin")

    response = client.delete(f"/api/v1/pegawai/{boss_id}", headers=headers)

    assert response.status_code in (409, 422), response.get_json()
    with app.app_context():
        assert db.session.get(Pegawai, boss_id) is not None
        assert db.session.get(Skp, skp_id) is not None


def _roles_of(app, nip: str) -> set[str]:  # noqa: ANN001
    with app.app_context():
        pegawai = db.session.execute(select(Pegawai).filter_by(nip=nip)).scalar_one()
        return {role.name for role in pegawai.user.roles} if pegawai.user else set()


def _id_of(app, nip: str) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.execute(select(Pegawai.id).filter_by(nip=nip)).scalar_one()


def test_put_atasan_null_takes_the_atasan_role_from_the_former_atasan(app, admin):
    """The API keeps the roles of previous supervisors in step, as the page does."""
    from tests.factories import new_chain

    people = new_chain(app)
    client, headers = admin
    assert "atasan" in _roles_of(app, people.atasan)
    for nip in (people.staff, people.colleague):
        response = client.put(
            f"/api/v1/pegawai/{_id_of(app, nip)}", json={"atasan_id": None}, headers=headers
        )
        assert response.status_code == 200, response.get_json()
    assert "atasan" not in _roles_of(app, people.atasan)
    assert "pegawai" in _roles_of(app, people.atasan)


def test_put_a_new_unit_head_moves_the_pimpinan_role_from_the_previous_head(app, admin):
    from tests.factories import new_chain

    people = new_chain(app)
    client, headers = admin
    response = client.post(
        "/api/v1/unit_kerja/",
        json={
            "kode": "UJIKPL",
            "nama": "Badan Uji Kepala",
            "jenis": "badan",
            "parent_id": _root(app),
            "kepala_id": _id_of(app, people.staff),
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    unit = response.get_json()["id"]
    assert "pimpinan_opd" in _roles_of(app, people.staff)
    response = client.put(
        f"/api/v1/unit_kerja/{unit}",
        json={"kepala_id": _id_of(app, people.colleague)},
        headers=headers,
    )
    assert response.status_code == 200, response.get_json()
    assert "pimpinan_opd" not in _roles_of(app, people.staff)
    assert "pimpinan_opd" in _roles_of(app, people.colleague)
    assert client.delete(f"/api/v1/unit_kerja/{unit}", headers=headers).status_code == 200
    assert "pimpinan_opd" not in _roles_of(app, people.colleague)


def _root(app) -> int:  # noqa: ANN001
    with app.app_context():
        return db.session.execute(
            select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))
        ).scalar_one()
