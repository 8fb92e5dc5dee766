"""Optional e-mail copies of notifications (MAIL_ENABLED): sent after the action commits,
never for a rolled-back one, and a broken SMTP server never fails the request."""

from __future__ import annotations

import smtplib

import pytest
from sqlalchemy import func, select

from tests.conftest import pegawai_id
from tests.factories import chain_with_submitted_skps, skp_with_rhk


class FakeSmtp:
    """Stands in for smtplib.SMTP and records what would have been sent."""

    sent: list = []
    connections: list = []
    fail: Exception | None = None

    def __init__(self, host: str, port: int, timeout: float) -> None:
        if FakeSmtp.fail is not None:
            raise FakeSmtp.fail
        FakeSmtp.connections.append((host, port, timeout))

    def __enter__(self) -> FakeSmtp:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self) -> None:
        return None

    def login(self, user: str, password: str) -> None:
        return None

    def send_message(self, message) -> None:  # noqa: ANN001
        FakeSmtp.sent.append(message)


@pytest.fixture()
def smtp(app, monkeypatch, dialog):
    """Mail on, through FakeSmtp; set up after ``dialog``, whose SKPs were submitted with
    mail off."""
    from app import mail

    FakeSmtp.sent, FakeSmtp.connections, FakeSmtp.fail = [], [], None
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSmtp)
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.test.invalid")
    monkeypatch.setitem(app.config, "MAIL_BASE_URL", "https://sikap.test.invalid/")
    return FakeSmtp


@pytest.fixture()
def dialog(app):
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Laporan tersusun", intervensi_id=atasan_rhk)
    return people, skp_id


def feedback_count(app, skp_id: int) -> int:
    from app.extensions import db
    from app.models.monitoring import UmpanBalik

    with app.app_context():
        return db.session.execute(
            select(func.count(UmpanBalik.id)).where(UmpanBalik.skp_id == skp_id)
        ).scalar_one()


def test_feedback_mails_the_other_party_after_commit(app, login, smtp, dialog):
    people, skp_id = dialog

    response = login(people.staff).post(
        f"/umpan-balik/{skp_id}/tulis", data={"topik": "umum", "pesan": "Mohon arahan."}
    )

    assert response.status_code == 302
    assert [m["To"] for m in smtp.sent] == [f"{people.atasan}@test.invalid"]
    body = smtp.sent[0].get_content()
    assert "Staf Uji" in body
    assert f"https://sikap.test.invalid/umpan-balik/{skp_id}#topik-umum" in body
    assert smtp.connections[0][0] == "smtp.test.invalid"


def test_nothing_is_mailed_for_a_rolled_back_notice(app, smtp, dialog):
    from app.extensions import db
    from app.services.notifikasi import notify

    people, _ = dialog
    with app.test_request_context():
        notify(db.session, pegawai_id(app, people.staff), "uji", "Test notice.")
        db.session.rollback()
        db.session.commit()

    assert smtp.sent == [] and smtp.connections == []


@pytest.mark.parametrize(
    "failure", [ConnectionRefusedError(111, "refused"), smtplib.SMTPServerDisconnected("gone")]
)
def test_a_broken_smtp_server_never_fails_the_request(app, login, smtp, dialog, failure):
    people, skp_id = dialog
    smtp.fail = failure

    response = login(people.atasan).post(
        f"/umpan-balik/{skp_id}/tulis", data={"topik": "umum", "pesan": "Tetap tersimpan."}
    )

    assert response.status_code == 302
    assert feedback_count(app, skp_id) == 1


def test_no_mail_unless_enabled(app, login, smtp, dialog, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_ENABLED", False)
    people, skp_id = dialog

    login(people.staff).post(
        f"/umpan-balik/{skp_id}/tulis", data={"topik": "umum", "pesan": "Tanpa surel."}
    )

    assert smtp.connections == [] and smtp.sent == []
