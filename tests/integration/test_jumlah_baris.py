"""The head of an OPD's lists read their total from the maintained row counts and their
pages row by row (app.services.jumlah_baris): each REST list counts and pages exactly the
rows the scope holds — those of the OPD and those seen besides it (a subordinate placed in
another OPD) — read either way, and a filtered list is still counted live."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.master import Pegawai, UnitKerja
from app.models.monitoring import BuktiDukung, Realisasi, UmpanBalik
from app.models.penilaian import Penilaian
from app.models.penugasan import Penugasan
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope
from app.services import jumlah_baris, org
from tests.factories import (
    approved_evaluations,
    fill_realisasi,
    jabatan,
    new_chain,
    person,
    skp_with_rhk,
    viewer_of,
)

RESOURCES = {
    "pegawai": Pegawai,
    "skp": Skp,
    "rencana_hasil_kerja": RencanaHasilKerja,
    "indikator_kinerja": IndikatorKinerja,
    "realisasi": Realisasi,
    "penilaian": Penilaian,
    "penugasan": Penugasan,
}


@pytest.fixture(scope="module")
def head(app) -> dict:  # noqa: ANN001
    """The head of BAPPEDA, whose OPD holds a chain with evaluations under way and realisasi,
    and who is the atasan of a pegawai placed in another OPD (with an SKP)."""
    people, rows = approved_evaluations(app)  # a chain in a bidang of BAPPEDA
    fill_realisasi(app, rows["tw1"])
    with app.app_context():
        session = db.session
        opd = session.execute(select(UnitKerja).where(UnitKerja.kode == "BAPPEDA")).scalar_one()
        other = session.execute(
            select(UnitKerja)
            .where(UnitKerja.kepala_id.is_not(None), UnitKerja.id != opd.id)
            .where(UnitKerja.parent_id == opd.parent_id)
            .order_by(UnitKerja.id)
            .limit(1)
        ).scalar_one()
        seconded = person(
            session,
            "Staf Diperbantukan",
            other.id,
            jabatan=jabatan(session, "Analis Uji", "pelaksana"),
            atasan_id=opd.kepala_id,
        )
        org.sync_roles(session, [seconded.id, opd.kepala_id])
        session.commit()
        head_nip = session.get(Pegawai, opd.kepala_id).nip
        seconded_nip = seconded.nip
    skp_with_rhk(app, seconded_nip, "Kajian diperbantukan")
    return {"nip": head_nip, "seconded": seconded_nip, "people": people}


def _in_scope(app, nip: str, model: type) -> set[int]:  # noqa: ANN001
    """The ids the scope holds, asked of the database in one set."""
    with app.test_request_context():
        session = db.session
        user = session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one().user
        viewer = scope.viewer_for(user, session)
        assert viewer.opd_paths, "the viewer heads an OPD"
        clause = scope.scope_clause(model, viewer)
        return set(session.execute(select(model.id).where(clause)).scalars())


def _listed(client, headers: dict, resource: str, size: int = 7) -> tuple[int, list[int]]:  # noqa: ANN001
    """The list's count and the ids of every page, read page by page."""
    ids: list[int] = []
    page = 0
    while True:
        answer = client.get(
            f"/api/v1/{resource}/?q=(page:{page},page_size:{size})", headers=headers
        )
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        ids += body["ids"]
        if len(body["ids"]) < size:
            return body["count"], ids
        page += 1


def _read_how(app, nip: str, model: type, rows: int) -> tuple[int | None, object]:  # noqa: ANN001
    with app.test_request_context():
        session = db.session
        user = session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one().user
        viewer = scope.viewer_for(user, session)
        return (
            jumlah_baris.total_in_scope(session, model, viewer),
            jumlah_baris.row_by_row(session, model, viewer, rows),
        )


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("how", ["row-by-row", "bunched", "set"])
def test_the_heads_list_counts_and_pages_exactly_the_scope(
    app, api, head, resource, how, monkeypatch
):  # noqa: ANN001
    """Read row by row; row by row among too few first rows (the OPD's rows bunched further
    on), so that each page is read again through the set; through the set."""
    model = RESOURCES[resource]
    if how == "set":
        monkeypatch.setattr(jumlah_baris, "WALK_LIMIT", -1)
    if how == "bunched":
        planned = jumlah_baris.row_by_row

        def too_few(*args):  # noqa: ANN002, ANN202
            walk = planned(*args)
            return walk and jumlah_baris.Walk(walk.clause, 1)

        monkeypatch.setattr(jumlah_baris, "row_by_row", too_few)
    total, walk = _read_how(app, head["nip"], model, 7)
    assert total is not None  # read from the maintained counts
    assert (walk is not None) is (how != "set")
    expected = _in_scope(app, head["nip"], model)
    client, headers = api(head["nip"])
    count, ids = _listed(client, headers, resource)
    assert count == len(expected) == total
    assert len(ids) == len(set(ids))  # no row on two pages
    assert set(ids) == expected


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_admins_lists_count_every_row_from_the_maintained_counts(app, api, resource):  # noqa: ANN001
    """Admin BKPSDM sees every row: the total is the units' counts added up, not a count of
    the table, and it is the table's count."""
    model = RESOURCES[resource]
    with app.app_context():
        rows = db.session.scalar(select(func.count(model.id)))
        assert (
            jumlah_baris.total_in_scope(db.session, model, scope.Viewer(None, is_admin=True))
            == rows
        )
    client, headers = api("admin")
    answer = client.get(f"/api/v1/{resource}/?q=(page_size:1)", headers=headers)
    assert answer.status_code == 200
    assert answer.get_json()["count"] == rows


def test_rows_seen_besides_the_opd_are_counted(app, api, head):  # noqa: ANN001
    """The seconded pegawai's SKP lies outside the OPD's units: counted live, listed."""
    with app.app_context():
        seconded = db.session.execute(
            select(Pegawai.id).where(Pegawai.nip == head["seconded"])
        ).scalar_one()
        skp_ids = set(
            db.session.execute(select(Skp.id).where(Skp.pegawai_id == seconded)).scalars()
        )
    assert skp_ids
    client, headers = api(head["nip"])
    _, ids = _listed(client, headers, "skp")
    assert skp_ids <= set(ids)


def test_a_filtered_list_is_counted_live(app, api, head):  # noqa: ANN001
    expected = _in_scope(app, head["nip"], Skp)
    with app.app_context():
        drafts = set(
            db.session.execute(
                select(Skp.id).where(Skp.id.in_(expected), Skp.status == "draft")
            ).scalars()
        )
    client, headers = api(head["nip"])
    answer = client.get(
        "/api/v1/skp/?q=(filters:!((col:status,opr:eq,value:draft)),page_size:100)",
        headers=headers,
    )
    assert answer.status_code == 200
    assert answer.get_json()["count"] == len(drafts)
    assert set(answer.get_json()["ids"]) == drafts


def test_the_counts_follow_a_deleted_rhk_and_its_rows(app, api, head):  # noqa: ANN001
    """Deleting an RHK takes its indikator along (in the database): the head's totals of
    both tables, read from the OPD's maintained counts, drop with it."""
    from app.services import skp as skp_service
    from tests.factories import viewer_of

    colleague = head["people"].colleague  # in a bidang of the head's OPD
    _, rhk_id = skp_with_rhk(app, colleague, "Kajian kedua")
    client, headers = api(head["nip"])
    tables = ("rencana_hasil_kerja", "indikator_kinerja")
    before = {table: _listed(client, headers, table, 100)[0] for table in tables}
    with app.test_request_context():
        skp_service.delete_rhk(db.session, rhk_id, viewer_of(app, colleague))
        db.session.commit()
        left = db.session.execute(
            select(func.count(IndikatorKinerja.id)).where(
                IndikatorKinerja.rencana_hasil_kerja_id == rhk_id
            )
        ).scalar_one()
    assert left == 0
    after = {table: _listed(client, headers, table, 100)[0] for table in tables}
    assert after == {table: count - 1 for table, count in before.items()}


@pytest.mark.parametrize(
    "resource, order, column",
    [
        ("pegawai", "(order_column:nama,order_direction:asc)", "nama"),  # an index of its own
        # A foreign key bunches an OPD's rows: read through the scope's set.
        (
            "realisasi",
            "(order_column:indikator_kinerja_id,order_direction:asc)",
            "indikator_kinerja_id",
        ),
        ("penilaian", "(order_column:status,order_direction:asc)", "status"),
        ("realisasi", "(order_column:id,order_direction:desc)", "id"),
    ],
)
def test_a_sorted_list_of_the_head_is_the_scope_in_that_order(
    app, api, head, resource, order, column
):  # noqa: ANN001
    model = RESOURCES[resource]
    expected = _in_scope(app, head["nip"], model)
    client, headers = api(head["nip"])
    ids: list[int] = []
    for page in range(100):
        query = order[:-1] + f",page:{page},page_size:7)"
        body = client.get(f"/api/v1/{resource}/?q={query}", headers=headers).get_json()
        ids += body["ids"]
        if len(body["ids"]) < 7:
            break
    assert body["count"] == len(expected)
    assert sorted(ids) == sorted(expected)
    with app.app_context():
        values = dict(
            db.session.execute(
                select(model.id, getattr(model, column)).where(model.id.in_(ids))
            ).all()
        )
    shown = [values[i] for i in ids]
    assert shown == sorted(shown, reverse="desc" in order)


def test_which_orders_are_read_row_by_row(app):  # noqa: ANN001
    from app.security.datamodel import ScopedInterface

    with app.app_context():
        pegawai, realisasi = ScopedInterface(Pegawai), ScopedInterface(Realisasi)
        assert pegawai._read_in_index_order("")  # the table's own order
        assert pegawai._read_in_index_order("id")
        assert pegawai._read_in_index_order("nama")  # ix_pegawai_nama
        assert not pegawai._read_in_index_order("unit_kerja_id")  # bunched by OPD
        assert not pegawai._read_in_index_order("gelar_depan")  # no index: sorted whole
        assert not realisasi._read_in_index_order("indikator_kinerja_id")


@pytest.mark.parametrize("walk", [True, False], ids=["row-by-row", "set"])
def test_the_heads_training_and_plan_lists_hold_exactly_the_scope(app, head, walk, monkeypatch):  # noqa: ANN001
    """Sorted by date, these read every row: row by row while the table is small, through
    the scope's set beyond it — the same rows either way, and the plans' total."""
    import datetime as dt

    from app.models.penilaian import Pelatihan, RencanaPengembangan
    from app.services import pengembangan

    if not walk:
        monkeypatch.setattr(jumlah_baris, "WALK_LIMIT", -1)
    tahun = dt.date.today().year
    with app.app_context():
        session = db.session
        for nip in (head["people"].staff, head["seconded"]):
            pegawai_id = session.execute(select(Pegawai.id).where(Pegawai.nip == nip)).scalar_one()
            session.add(
                Pelatihan(
                    pegawai_id=pegawai_id,
                    nama_diklat=f"Diklat {nip}",
                    tanggal_mulai=dt.date(tahun, 3, 1),
                    jp=8,
                )
            )
        session.commit()
    for model in (Pelatihan, RencanaPengembangan):
        expected = _in_scope(app, head["nip"], model)
        with app.test_request_context():
            session = db.session
            user = (
                session.execute(select(Pegawai).where(Pegawai.nip == head["nip"])).scalar_one().user
            )
            viewer = scope.viewer_for(user, session)
            assert (jumlah_baris.row_by_row(session, model, viewer, None) is not None) is walk
            if model is Pelatihan:
                expected = set(
                    session.execute(
                        select(Pelatihan.id).where(
                            Pelatihan.id.in_(expected), pengembangan._counted_in(tahun)
                        )
                    ).scalars()
                )
                assert len(expected) >= 2
                halaman = pengembangan.list_pelatihan(session, viewer, tahun)
            else:
                halaman = pengembangan.list_plans(session, viewer, pengembangan.FilterRencana())
            shown = set()
            for nomor in range(1, halaman.jumlah + 1):
                if model is Pelatihan:
                    page = pengembangan.list_pelatihan(session, viewer, tahun, nomor=nomor)
                else:
                    page = pengembangan.list_plans(
                        session, viewer, pengembangan.FilterRencana(), nomor
                    )
                shown |= {row.id for row in page.rows}
        assert halaman.total == len(expected)
        assert shown == expected


def test_deleting_a_covered_pegawai_keeps_the_assignment_counts(app, api):  # noqa: ANN001
    """The database deletes the Plt/Plh assignments covering a deleted pegawai; their
    acting official sits in another unit, whose count follows."""
    from app.services import hitungan, master
    from tests.factories import new_chain
    from tests.integration.test_plt_plh import assignment, record

    acting, covered = new_chain(app).colleague, new_chain(app).staff
    record(api, assignment(app, acting, covered))
    with app.app_context():
        assert hitungan.differences(db.session) == []
    with app.test_request_context():
        session = db.session
        pegawai = session.execute(select(Pegawai).where(Pegawai.nip == covered)).scalar_one()
        master.delete_pegawai(session, pegawai)
        session.commit()
        assert (
            session.execute(
                select(func.count(Penugasan.id)).where(Penugasan.menggantikan_id == pegawai.id)
            ).scalar_one()
            == 0
        )
        assert hitungan.differences(session) == []


def _scoped_models() -> list[type]:
    from flask_appbuilder import Model

    return sorted(
        (m.class_ for m in Model.registry.mappers if hasattr(m.class_, "scope_owner")),
        key=lambda model: model.__name__,
    )


@pytest.fixture(scope="module")
def elsewhere(app) -> None:  # noqa: ANN001
    """An approved SKP with realisasi in another OPD (Inspektorat): rows the head does not see."""
    from app.services import skp as skp_service

    people = new_chain(app, "INSP")
    _, boss_rhk = skp_with_rhk(
        app, people.boss, "Pengawasan", penugasan_dari="Wali Kota", submit=True
    )
    skp_id, _ = skp_with_rhk(
        app, people.atasan, "Audit kinerja", intervensi_id=boss_rhk, submit=True
    )
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.boss))
        db.session.commit()
        query = select(Penilaian.id).where(Penilaian.skp_id == skp_id).limit(1)
        penilaian_id = db.session.execute(query).scalar_one()
    fill_realisasi(app, penilaian_id)


def _one_inside_and_one_outside(session, model: type, viewer: scope.Viewer) -> None:  # noqa: ANN001
    """Evidence or a message on a row the head sees and on one they do not (rolled back)."""
    parent = Realisasi if model is BuktiDukung else Skp
    clause = scope.scope_clause(parent, viewer)
    inside = session.execute(select(parent).where(clause).limit(1)).scalar_one()
    seen = select(parent.id).where(clause)  # (NOT of an IN over a set holding NULL is never true)
    outside = session.execute(select(parent).where(parent.id.not_in(seen)).limit(1)).scalar_one()
    now = dt.datetime(2026, 12, 7, 12, 0)
    for row in (inside, outside):
        if model is BuktiDukung:
            made = BuktiDukung(
                realisasi_id=row.id, jenis="url", url="https://x.test/b", diunggah_pada=now
            )
        else:
            made = UmpanBalik(
                skp_id=row.id, penulis_id=row.pegawai_id, pesan="Uji", dibuat_pada=now
            )
        session.add(made)
    session.flush()


@pytest.mark.parametrize("model", _scoped_models(), ids=lambda model: model.__name__)
def test_the_scope_asked_of_each_row_holds_the_rows_of_the_set(app, head, elsewhere, model) -> None:  # noqa: ANN001
    """scope_clause_row_by_row (an OPD head's lists, and every read of one row: scope.get,
    can_see) holds exactly the rows of scope_clause. The owner of evidence, looked up two
    levels down, had its row's table joined in instead of correlated: every bukti dukung
    took the owner of the first."""
    with app.test_request_context():
        session = db.session
        user = session.execute(select(Pegawai).where(Pegawai.nip == head["nip"])).scalar_one()
        viewer = scope.viewer_for(user.user, session)
        if model in (BuktiDukung, UmpanBalik):
            _one_inside_and_one_outside(session, model, viewer)
        by_set = set(
            session.execute(select(model.id).where(scope.scope_clause(model, viewer))).scalars()
        )
        by_row = set(
            session.execute(
                select(model.id).where(scope.scope_clause_row_by_row(model, viewer))
            ).scalars()
        )
        everything = set(session.execute(select(model.id)).scalars())
        assert by_row == by_set
        if model in (BuktiDukung, UmpanBalik):
            assert by_set and by_set != everything
        some = sorted(everything)[:: max(1, len(everything) // 40)]
        assert {i for i in some if scope.can_see(model, i, session, viewer)} == by_set & set(some)
        session.rollback()
