"""The scope of a pegawai who appraises nobody is their own rows (scope.appraises): one
equality, which the planner sizes as one pegawai's rows, where the org chart's UNION of staff
and pejabat penilai was sized as an average atasan's (PostgreSQL then read every evaluation
in key order to show a pegawai their five). Whoever appraises anyone, now or of record on an
SKP, keeps the org chart's scope."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models.master import Pegawai
from app.models.penilaian import Penilaian
from app.security import scope
from tests.factories import approved_evaluations


def _viewer(nip: str) -> scope.Viewer:
    pegawai = db.session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one()
    return scope.viewer_for(pegawai.user, db.session)


def _listed(api, nip: str) -> set[int]:  # noqa: ANN001
    client, headers = api(nip)
    body = client.get("/api/v1/penilaian/?q=(page_size:100)", headers=headers).get_json()
    return set(body["ids"])


def test_a_pegawai_who_appraises_nobody_is_scoped_to_their_own_rows(app, api) -> None:  # noqa: ANN001
    people, evaluations = approved_evaluations(app)
    with app.app_context():
        staff, atasan = _viewer(people.staff), _viewer(people.atasan)
        assert not staff.appraises and atasan.appraises
        own = str(scope.scope_clause(Penilaian, staff).compile()).upper()
        assert "UNION" not in own
        assert "UNION" in str(scope.scope_clause(Penilaian, atasan).compile()).upper()
    assert _listed(api, people.staff) == set(evaluations.values())
    assert set(evaluations.values()) <= _listed(api, people.atasan)


def test_the_pejabat_penilai_of_record_keeps_seeing_after_their_staff_left(app, api) -> None:  # noqa: ANN001
    people, evaluations = approved_evaluations(app)
    with app.app_context():
        boss = db.session.execute(select(Pegawai).where(Pegawai.nip == people.boss)).scalar_one()
        for nip in (people.staff, people.colleague):
            moved = db.session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one()
            moved.atasan_id = boss.id
        db.session.commit()
        assert _viewer(people.atasan).appraises  # the SKP's pejabat penilai of record
    assert set(evaluations.values()) <= _listed(api, people.atasan)
