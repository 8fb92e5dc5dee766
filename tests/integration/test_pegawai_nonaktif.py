"""A pegawai made inactive can no longer sign in, whichever door made them so (the pegawai page,
the REST API, the import): their account is deactivated with them and every session and token
of it ends; made active again, the account is reactivated (app.services.accounts.follow_aktif),
while the old sessions stay ended. An account switched off by hand stays off."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from app.models.master import Pegawai, UnitKerja
from app.services import impor
from tests.conftest import PASSWORD
from tests.factories import person


def new_pegawai(app) -> tuple[int, str]:  # noqa: ANN001
    """An active pegawai of BAPPEDA with an account named by the NIP; (id, NIP)."""
    with app.app_context():
        unit = db.session.execute(select(UnitKerja.id).where(UnitKerja.kode == "BAPPEDA"))
        found = person(db.session, "Nonaktif Uji", unit.scalar_one())
        nip = found.nip
        found.tanggal_lahir = date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))
        found.jenis_kelamin = nip[14]
        db.session.commit()
        return found.id, nip


def signed_in_everywhere(app, nip: str):  # noqa: ANN001, ANN201
    """A browser session and an access token of the pegawai."""
    browser = app.test_client()
    assert browser.post("/login/", data={"username": nip, "password": PASSWORD}).status_code == 302
    return browser, token_of(app, nip)


def token_of(app, nip: str) -> str | None:  # noqa: ANN001
    body = {"username": nip, "password": PASSWORD, "provider": "db"}
    response = app.test_client().post("/api/v1/security/login", json=body)
    return response.get_json()["access_token"] if response.status_code == 200 else None


def still_in(app, browser, token: str) -> tuple[bool, bool]:  # noqa: ANN001
    page = browser.get("/kinerja-saya/").status_code == 200
    headers = {"Authorization": f"Bearer {token}"}
    api = app.test_client().get("/api/v1/skp/", headers=headers).status_code == 200
    return page, api


def account_active(app, pegawai_id: int) -> bool:  # noqa: ANN001
    with app.app_context():
        return db.session.get(Pegawai, pegawai_id).user.active


def test_the_api_deactivating_a_pegawai_ends_their_account(app, api):  # noqa: ANN001
    pegawai_id, nip = new_pegawai(app)
    browser, token = signed_in_everywhere(app, nip)
    admin, headers = api("admin")
    url = f"/api/v1/pegawai/{pegawai_id}"
    assert admin.put(url, json={"aktif": False}, headers=headers).status_code == 200
    assert not account_active(app, pegawai_id)
    assert still_in(app, browser, token) == (False, False)
    assert token_of(app, nip) is None
    assert admin.put(url, json={"aktif": True}, headers=headers).status_code == 200
    assert account_active(app, pegawai_id)
    assert token_of(app, nip) is not None
    assert still_in(app, browser, token) == (False, False)  # the old ones stay ended


def test_the_page_deactivating_a_pegawai_ends_their_account(app, login):  # noqa: ANN001
    pegawai_id, nip = new_pegawai(app)
    browser, token = signed_in_everywhere(app, nip)
    with app.app_context():
        found = db.session.get(Pegawai, pegawai_id)
        form = {
            "nip": found.nip,
            "nama": found.nama,
            "jenis_asn": found.jenis_asn,
            "jenis_kelamin": found.jenis_kelamin,
            "tanggal_lahir": found.tanggal_lahir.isoformat(),
            "unit_kerja": str(found.unit_kerja_id),
            "user": str(found.user_id),
        }
    admin = login("admin")
    assert admin.post(f"/pegawaiview/edit/{pegawai_id}", data=form).status_code == 302
    assert not account_active(app, pegawai_id)
    assert still_in(app, browser, token) == (False, False)
    assert token_of(app, nip) is None
    form["aktif"] = "y"
    assert admin.post(f"/pegawaiview/edit/{pegawai_id}", data=form).status_code == 302
    assert account_active(app, pegawai_id)


def import_aktif(app, tmp_path, nip: str, aktif: str):  # noqa: ANN001, ANN201
    book = Workbook()
    sheet = book.active
    sheet.title = impor.DATA_SHEET
    sheet.append([column.header for column in impor.COLUMNS])
    lahir = f"{nip[6:8]}-{nip[4:6]}-{nip[:4]}"
    values = {
        "nip": nip,
        "nama": "Nonaktif Uji",
        "jenis_asn": "PNS",
        "jenis_kelamin": "Pria" if nip[14] == "1" else "Wanita",
        "tanggal_lahir": lahir,
        "kode_unit": "BAPPEDA",
        "aktif": aktif,
    }
    sheet.append([values.get(column.key) for column in impor.COLUMNS])
    path = tmp_path / "pegawai.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    result = app.test_cli_runner().invoke(args=["import-pegawai", str(path)])
    assert result.exit_code == 0, result.output


def test_the_import_deactivating_a_pegawai_ends_their_account(app, tmp_path):  # noqa: ANN001
    pegawai_id, nip = new_pegawai(app)
    browser, token = signed_in_everywhere(app, nip)
    import_aktif(app, tmp_path, nip, "Tidak")
    assert not account_active(app, pegawai_id)
    assert still_in(app, browser, token) == (False, False)
    assert token_of(app, nip) is None
    import_aktif(app, tmp_path, nip, "Ya")
    assert account_active(app, pegawai_id)
    assert token_of(app, nip) is not None


def test_an_account_switched_off_by_hand_stays_off_when_the_pegawai_is_edited(app, api):  # noqa: ANN001
    pegawai_id, _ = new_pegawai(app)
    with app.app_context():
        db.session.get(Pegawai, pegawai_id).user.active = False
        db.session.commit()
    admin, headers = api("admin")
    body = {"nama": "Nonaktif Uji Diubah"}
    assert admin.put(f"/api/v1/pegawai/{pegawai_id}", json=body, headers=headers).status_code == 200
    assert not account_active(app, pegawai_id)
