"""The one row-level scope (app.security.scope) against the demo database.

Expected sets come from walking the org chart in Python (parent and atasan links), not from
SQL, so the scope's queries are checked against an independent reading of the rules.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models.audit import AuditLog
from app.models.master import Pegawai, UnitKerja
from app.security.scope import Viewer, scope_clause, viewer_for, visible_pegawai_ids
from tests.conftest import pegawai_id
from tests.factories import person


def visible(session, viewer: Viewer) -> set[int]:  # noqa: ANN001
    query = select(Pegawai.id)
    clause = visible_pegawai_ids(viewer)
    if clause is not None:
        query = query.where(clause)
    return set(session.execute(query).scalars())


def subordinates_of(session, me: int) -> set[int]:  # noqa: ANN001
    rows = session.execute(select(Pegawai.id, Pegawai.atasan_id, Pegawai.pejabat_penilai_id))
    return {pid for pid, atasan, penilai in rows if me in (atasan, penilai)}


def opd_members(session, opd_id: int) -> set[int]:  # noqa: ANN001
    parent_of = dict(session.execute(select(UnitKerja.id, UnitKerja.parent_id)).all())

    def inside(unit_id: int | None) -> bool:
        while unit_id is not None:
            if unit_id == opd_id:
                return True
            unit_id = parent_of[unit_id]
        return False

    rows = session.execute(select(Pegawai.id, Pegawai.unit_kerja_id))
    return {pid for pid, unit_id in rows if inside(unit_id)}


@pytest.fixture()
def ids(app, cast):  # noqa: ANN001, ANN201
    return {role: pegawai_id(app, getattr(cast, role)) for role in vars(cast) if role != "admin"}


def viewer_of(session, pegawai: int, opd_paths: tuple[str, ...] = ()) -> Viewer:  # noqa: ANN001
    return Viewer(user_id=-1, pegawai_id=pegawai, opd_paths=opd_paths)


def test_pegawai_sees_only_themselves(db_session, ids):
    assert visible(db_session, viewer_of(db_session, ids["staff"])) == {ids["staff"]}


def test_atasan_sees_themselves_and_direct_subordinates(db_session, ids):
    me = ids["atasan"]
    seen = visible(db_session, viewer_of(db_session, me))
    assert seen == {me} | subordinates_of(db_session, me)
    assert {ids["staff"], ids["other_staff"]} <= seen


def test_atasan_does_not_see_their_own_atasan_or_another_opd(db_session, ids):
    seen = visible(db_session, viewer_of(db_session, ids["atasan"]))
    assert not seen & {ids["pimpinan"], ids["outsider"], ids["outsider_atasan"]}


def test_atasan_does_not_see_subordinates_of_subordinates(db_session, ids):
    staff = db_session.get(Pegawai, ids["staff"])
    grandchild = person(
        db_session, "Cucu Uji Scope", staff.unit_kerja_id, atasan_id=staff.id, account=False
    )
    assert grandchild.id not in visible(db_session, viewer_of(db_session, ids["atasan"]))


def test_atasan_sees_pegawai_they_appraise_as_pejabat_penilai(db_session, ids):
    outsider = db_session.get(Pegawai, ids["outsider"])
    guru = person(
        db_session,
        "Guru Uji Scope",
        outsider.unit_kerja_id,
        atasan_id=outsider.id,
        pejabat_penilai_id=ids["atasan"],
        account=False,
    )
    assert guru.id in visible(db_session, viewer_of(db_session, ids["atasan"]))


def test_pimpinan_opd_sees_the_whole_opd_subtree(db_session, app, cast, ids):
    with app.test_request_context():
        user = app.appbuilder.sm.find_user(username=cast.pimpinan)
        viewer = viewer_for(user, db_session)
    opd = db_session.execute(select(UnitKerja).where(UnitKerja.kepala_id == ids["pimpinan"]))
    opd = opd.scalar_one()
    seen = visible(db_session, viewer)
    assert seen == opd_members(db_session, opd.id) | subordinates_of(db_session, ids["pimpinan"])
    assert {ids["pimpinan"], ids["atasan"], ids["staff"], ids["other_staff"]} <= seen


def test_pimpinan_opd_does_not_see_another_opd_or_the_sekda(db_session, app, cast, ids):
    with app.test_request_context():
        viewer = viewer_for(app.appbuilder.sm.find_user(username=cast.pimpinan), db_session)
    pimpinan = db_session.get(Pegawai, ids["pimpinan"])
    seen = visible(db_session, viewer)
    assert not seen & {ids["outsider"], ids["outsider_atasan"], pimpinan.atasan_id}


def test_head_of_a_bidang_is_not_given_an_opd_scope(db_session, app, cast, ids):
    with app.test_request_context():
        viewer = viewer_for(app.appbuilder.sm.find_user(username=cast.atasan), db_session)
    assert viewer.pegawai_id == ids["atasan"]
    assert viewer.opd_paths == ()
    assert not viewer.is_admin


def test_admin_sees_everyone(db_session, app):
    with app.test_request_context():
        viewer = viewer_for(app.appbuilder.sm.find_user(username="admin"), db_session)
    assert viewer.is_admin
    assert visible_pegawai_ids(viewer) is None
    everyone = set(db_session.execute(select(Pegawai.id)).scalars())
    assert visible(db_session, viewer) == everyone


def test_user_without_pegawai_sees_nobody(db_session):
    assert visible(db_session, Viewer(user_id=-1)) == set()


def test_anonymous_sees_nobody(db_session):
    assert visible(db_session, viewer_for(None, db_session)) == set()


def test_audit_log_is_invisible_to_everyone_but_admin(db_session, ids):
    clause = scope_clause(AuditLog, viewer_of(db_session, ids["pimpinan"], ("/1/",)))
    rows = db_session.execute(select(AuditLog.id).where(clause).limit(1)).all()
    assert rows == []
    assert scope_clause(AuditLog, Viewer(user_id=-1, is_admin=True)) is None


def test_unscoped_reference_data_is_not_narrowed(db_session, ids):
    assert scope_clause(UnitKerja, viewer_of(db_session, ids["staff"])) is None
