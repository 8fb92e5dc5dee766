"""An objection whose pejabat penilai has no atasan in the app waits on the Tim Penilai
Kinerja (admin BKPSDM): every active admin account is told, in the app and by e-mail when
mail is on — for a non-ASN penilai (the Wali Kota) and for a pegawai at the top of the chain
alike; an objection with an atasan pejabat penilai still goes to that atasan only."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from tests.conftest import pegawai_id
from tests.factories import PASSWORD, approved_evaluations, fill_realisasi
from tests.integration.test_notifikasi_mail import FakeSmtp
from tests.integration.test_top_of_the_chain import signed, submitted_skp, top  # noqa: F401

OBJECTION = {"alasan": "Target sudah tercapai"}
RATING = {"rating_hasil_kerja": "di_bawah", "rating_perilaku_kerja": "sesuai"}


@pytest.fixture()
def admins(app):
    """A second active admin account and an inactive one (user ids: active, inactive)."""
    from app.extensions import db
    from app.security import roles

    with app.app_context():
        sm = app.appbuilder.sm
        made = []
        for active in (True, False):
            user = sm.add_user(
                username=f"admin-{uuid.uuid4().hex[:8]}",
                first_name="Admin",
                last_name="Kedua",
                email=f"admin-{uuid.uuid4().hex[:8]}@test.invalid",
                role=[sm.find_role(roles.ADMIN)],
                password=PASSWORD,
                commit=False,
            )
            user.active = active
            made.append(user)
        db.session.commit()
        return tuple(user.id for user in made)


@pytest.fixture()
def smtp(app, monkeypatch):
    from app import mail

    FakeSmtp.sent, FakeSmtp.connections, FakeSmtp.fail = [], [], None
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSmtp)
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    monkeypatch.setitem(app.config, "MAIL_BASE_URL", "https://sikap.test.invalid/")
    return FakeSmtp


def objection_notices(app, penilaian_id: int) -> list[tuple[int | None, int | None, str]]:
    """(pegawai, account, text) of every objection notice pointing at the evaluation."""
    from app.extensions import db
    from app.models.monitoring import Notifikasi
    from app.services.notifikasi import teks

    with app.test_request_context():
        notices = db.session.execute(
            select(Notifikasi)
            .where(
                Notifikasi.jenis == "keberatan", Notifikasi.tautan == f"/penilaian/{penilaian_id}"
            )
            .order_by(Notifikasi.id)
        ).scalars()
        return [(n.penerima_id, n.penerima_user_id, teks(n)) for n in notices]


def admin_user_id(app) -> int:
    with app.app_context():
        return app.appbuilder.sm.find_user(username="admin").id


def assert_every_active_admin_told(app, login, penilaian_id: int, admins) -> None:  # noqa: ANN001
    second, inactive = admins
    notices = objection_notices(app, penilaian_id)
    told = {account for pegawai, account, _ in notices}
    assert {admin_user_id(app), second} <= told and inactive not in told
    assert all(pegawai is None for pegawai, _, _ in notices)
    assert all("Tim Penilai Kinerja BKPSDM" in text for _, _, text in notices)
    # The admin reads it on the notifications page, the navbar badge counts it, and it
    # opens the evaluation to decide.
    client = login("admin")
    page = client.get("/notifikasi/").get_data(as_text=True)
    assert "mengajukan keberatan" in page and 'id="notifikasi-badge"' in page
    assert f"/penilaian/{penilaian_id}" in client.get("/penilaian/").get_data(as_text=True)


def test_objection_to_a_non_asn_penilai_notifies_every_active_admin(
    app,
    api,
    login,
    top,  # noqa: F811 (the fixture of test_top_of_the_chain)
    admins,
    smtp,
):
    nip, _me, admin, headers = top
    skp = submitted_skp(api, nip)
    approved = admin.post(
        f"/api/v1/skp/{skp}/approve",
        data={"dokumen": signed()},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert approved.status_code == 200, approved.get_json()
    tw1 = evaluation(app, skp, "tw1")
    fill_realisasi(app, tw1)
    client, own = api(nip)
    assert client.post(f"/api/v1/penilaian/{tw1}/submit", headers=own).status_code == 200
    rated = admin.post(
        f"/api/v1/penilaian/{tw1}/rate",
        data={**RATING, "dokumen": signed("penilaian.pdf")},
        headers=headers,
        content_type="multipart/form-data",
    )
    assert rated.status_code == 200, rated.get_json()
    smtp.sent.clear()

    objected = client.post(f"/api/v1/penilaian/{tw1}/object", json=OBJECTION, headers=own)

    assert objected.status_code == 200, objected.get_json()
    assert_every_active_admin_told(app, login, tw1, admins)
    mailed = {m["To"] for m in smtp.sent}
    assert "admin@sikap.dumaikota.go.id" in mailed
    body = next(m for m in smtp.sent if m["To"] == "admin@sikap.dumaikota.go.id").get_content()
    assert "Tim Penilai Kinerja BKPSDM" in body
    assert f"https://sikap.test.invalid/penilaian/{tw1}" in body


def test_objection_to_a_penilai_without_atasan_in_the_app_notifies_every_active_admin(
    app, api, login, admins
):
    people, rows = approved_evaluations(app)
    admin, headers = api("admin")
    # The pejabat penilai (the atasan) is at the top of the chain in the app.
    cut = admin.put(
        f"/api/v1/pegawai/{pegawai_id(app, people.atasan)}",
        json={"atasan_id": None},
        headers=headers,
    )
    assert cut.status_code == 200, cut.get_json()
    tw1 = rows["tw1"]
    fill_realisasi(app, tw1)
    client, own = api(people.staff)
    assert client.post(f"/api/v1/penilaian/{tw1}/submit", headers=own).status_code == 200
    rater, rater_headers = api(people.atasan)
    rated = rater.post(f"/api/v1/penilaian/{tw1}/rate", json=RATING, headers=rater_headers)
    assert rated.status_code == 200, rated.get_json()

    objected = client.post(f"/api/v1/penilaian/{tw1}/object", json=OBJECTION, headers=own)

    assert objected.status_code == 200, objected.get_json()
    assert_every_active_admin_told(app, login, tw1, admins)
    # Nobody in the org chart is told: the atasan of the penilai does not exist.
    assert not [p for p, _, _ in objection_notices(app, tw1) if p is not None]


def test_objection_with_an_atasan_pejabat_penilai_goes_to_that_atasan_only(app, api):
    people, rows = approved_evaluations(app)
    tw1 = rows["tw1"]
    fill_realisasi(app, tw1)
    client, own = api(people.staff)
    assert client.post(f"/api/v1/penilaian/{tw1}/submit", headers=own).status_code == 200
    rater, rater_headers = api(people.atasan)
    assert (
        rater.post(f"/api/v1/penilaian/{tw1}/rate", json=RATING, headers=rater_headers).status_code
        == 200
    )

    assert (
        client.post(f"/api/v1/penilaian/{tw1}/object", json=OBJECTION, headers=own).status_code
        == 200
    )

    assert [(p, u) for p, u, _ in objection_notices(app, tw1)] == [
        (pegawai_id(app, people.boss), None)
    ]


def evaluation(app, skp_id: int, jenis: str) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian

    with app.app_context():
        return db.session.execute(
            select(Penilaian.id)
            .join(Periode, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id, Periode.jenis == jenis)
        ).scalar_one()
