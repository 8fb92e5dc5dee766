"""The writers' turn (app.writers_turn): a writing transaction adds to the shared rows — the
audit trail's chain, the counts kept for the city and the units above a change — at its
commit, so that a writer still at work does not hold up the others; a read of those rows
within the writing transaction sees them settled; and whatever the interleaving, the chain
verifies and the counts equal a recount."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import select, text

from app import audit, writers_turn
from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Jabatan
from app.services import hitungan
from app.services import skp as skp_service
from tests.factories import chain_with_submitted_skps, skp_with_rhk, viewer_of

ON_POSTGRESQL = os.environ.get("SIKAP_TEST_BACKEND") == "postgresql"


def _jabatan(nama: str) -> Jabatan:
    return Jabatan(nama=nama, jenis="fungsional_keahlian", jenjang="ahli_muda")


def test_a_change_takes_the_turn_at_its_commit_and_its_audit_rows_join_the_chain(app) -> None:  # noqa: ANN001
    with app.app_context():
        item = _jabatan("Analis giliran penulis")
        db.session.add(item)
        db.session.flush()
        assert not writers_turn.held(db.session)  # at work: nothing shared written yet
        db.session.commit()
        assert not writers_turn.held(db.session)  # the turn ended with the transaction
        rows = db.session.execute(
            select(AuditLog.action).where(
                AuditLog.table_name == "jabatan", AuditLog.row_id == str(item.id)
            )
        ).all()
        assert rows == [("insert",)]
        assert audit.verify_chain(db.session) is None


def test_a_read_of_the_counts_in_the_writing_transaction_sees_its_changes(app) -> None:  # noqa: ANN001
    people, rhk_id = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip giliran", intervensi_id=rhk_id, submit=True)
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.flush()
        assert not writers_turn.held(db.session)
        # The comparison reads the kept counts: they are settled first, under the turn.
        assert hitungan.differences(db.session) == []
        assert writers_turn.held(db.session)
        db.session.rollback()
        assert hitungan.differences(db.session) == []


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite lets one writer in at a time anyway")
def test_a_writer_does_not_wait_for_another_still_at_work(app) -> None:  # noqa: ANN001
    """One transaction has changed an SKP (its row, its audit rows and its counts are
    pending) when another approves an SKP and commits: the second must not wait for the
    first to finish (it waited until the first committed), and once both commit the chain
    verifies and the counts equal a recount."""
    people, rhk_id = chain_with_submitted_skps(app)
    first_skp, _ = skp_with_rhk(
        app, people.staff, "Arsip lambat", intervensi_id=rhk_id, submit=True
    )
    second_skp, _ = skp_with_rhk(
        app, people.colleague, "Surat cepat", intervensi_id=rhk_id, submit=True
    )
    atasan = viewer_of(app, people.atasan)
    with app.test_request_context():
        make = db.session.session_factory
        slow, quick = make(), make()
        try:
            skp_service.approve(slow, first_skp, atasan)
            slow.add(_jabatan("Analis yang menunggu"))
            slow.flush()
            quick.execute(text("SET LOCAL lock_timeout = '5s'"))
            skp_service.approve(quick, second_skp, atasan)
            quick.commit()  # before: LockNotAvailable, the turn held by the slow one
            slow.commit()
        finally:
            slow.close()
            quick.close()
        assert audit.verify_chain(db.session) is None
        assert hitungan.differences(db.session) == []
