"""The maintained counts (app.services.hitungan) and open items (app.services.butir): random
workflows through the services keep them equal to a full recount, the pages that read them
show what a live count shows, and `flask verify-counts` finds a tampered row."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from app.domain.errors import DomainError
from app.extensions import db
from app.models.hitungan import ButirKepatuhan, ButirPenilai, Hitungan
from app.models.master import Pegawai, UnitKerja
from app.models.monitoring import Realisasi
from app.models.penilaian import Penilaian
from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
from app.security import scope
from app.security.scope import Viewer
from app.services import butir, dashboard, hitungan, kepatuhan, kurva, master, monitoring
from app.services import penilaian as penilaian_service
from app.services import periode as periode_service
from app.services import realisasi as realisasi_service
from app.services import skp as skp_service
from app.services.cakupan import Cakupan
from tests.conftest import statements
from tests.factories import (
    approved_evaluations,
    chain_with_submitted_skps,
    fill_realisasi,
    skp_with_rhk,
    viewer_of,
)

ADMIN = Viewer(user_id=None, is_admin=True)

# What one step of a workflow may do to a staff member's SKP or evaluation (or to the staff
# member): each is tried through the service a page would call; a step the rules refuse
# changes nothing.
STEPS = (
    "buat",
    "ajukan",
    "setujui",
    "kembalikan",
    "realisasi",
    "nilai",
    "terima",
    "pindah",
    "nonaktif",
    "aktif",
    "ganti_nama_atasan",
    "hapus_rhk",
    "revisi",
    "hapus_realisasi",
)


def _latest(session, nip: str):  # noqa: ANN001, ANN202
    pegawai = session.execute(select(Pegawai).where(Pegawai.nip == nip)).scalar_one()
    year = skp_service.active_year(session)
    return pegawai, skp_service.latest_skp(session, pegawai.id, year.id)


def _first_evaluation(session, skp) -> Penilaian | None:  # noqa: ANN001
    if skp is None:
        return None
    return session.execute(
        select(Penilaian).where(Penilaian.skp_id == skp.id).order_by(Penilaian.id).limit(1)
    ).scalar()


def _step(app, step: str, nip: str, atasan: str, rhk_id: int | None, filled: set[int]) -> None:  # noqa: ANN001
    """Do ``step`` for the staff member ``nip`` and commit; a refusal rolls back."""
    owner, penilai = viewer_of(app, nip), viewer_of(app, atasan)
    if step == "buat":
        # Refused when an SKP is already under review (its request context rolls back).
        with contextlib.suppress(DomainError):
            skp_with_rhk(app, nip, "Arsip tertata", intervensi_id=rhk_id)
        return
    if step == "realisasi":
        with app.app_context():
            evaluation = _first_evaluation(db.session, _latest(db.session, nip)[1])
            evaluation_id = evaluation.id if evaluation else None
        if evaluation_id is not None and evaluation_id not in filled:
            fill_realisasi(app, evaluation_id)
            filled.add(evaluation_id)
    with app.test_request_context():
        session = db.session
        pegawai, skp = _latest(session, nip)
        evaluation = _first_evaluation(session, skp)
        try:
            if step == "ajukan" and skp is not None:
                skp_service.submit(session, skp.id, owner)
            elif step == "setujui" and skp is not None:
                skp_service.approve(session, skp.id, penilai)
            elif step == "kembalikan" and skp is not None:
                skp_service.return_(session, skp.id, penilai, "Lengkapi indikatornya")
            elif step == "realisasi" and evaluation is not None:
                penilaian_service.submit(session, evaluation.id, owner)
            elif step == "nilai" and evaluation is not None:
                penilaian_service.rate(session, evaluation.id, penilai, "sesuai", "sesuai")
            elif step == "terima" and evaluation is not None:
                penilaian_service.accept(session, evaluation.id, owner)
            elif step == "pindah":
                # Up to the OPD itself (the bidang's parent) and back down again.
                unit = session.get(UnitKerja, pegawai.unit_kerja_id)
                below = session.execute(
                    select(UnitKerja.id).where(UnitKerja.parent_id == unit.id).limit(1)
                ).scalar()
                pegawai.unit_kerja_id = below or unit.parent_id
                master.save_pegawai(session, pegawai)
            elif step == "ganti_nama_atasan":
                # The list sorts by the pejabat penilai's name: their staff's items follow it.
                boss = session.execute(select(Pegawai).where(Pegawai.nip == atasan)).scalar_one()
                boss.nama = "Zainal" if boss.nama != "Zainal" else "Abdul"
                master.save_pegawai(session, boss)
            elif step == "hapus_rhk" and skp is not None and skp.rencana_hasil_kerja:
                # Its indikator and their realisasi go with it (the rows' counts).
                skp_service.delete_rhk(session, skp.rencana_hasil_kerja[0].id, owner)
            elif step == "revisi" and skp is not None:
                skp_service.revise(session, skp.id, owner)
            elif step == "hapus_realisasi" and skp is not None:
                realisasi_id = session.execute(
                    select(Realisasi.id)
                    .join(IndikatorKinerja, Realisasi.indikator_kinerja_id == IndikatorKinerja.id)
                    .join(RencanaHasilKerja)
                    .where(RencanaHasilKerja.skp_id == skp.id)
                    .limit(1)
                ).scalar()
                if realisasi_id is not None:
                    realisasi_service.delete(session, owner, realisasi_id)
            elif step in ("nonaktif", "aktif"):
                pegawai.aktif = step == "aktif"
                master.save_pegawai(session, pegawai)
            session.commit()
        except DomainError:
            session.rollback()


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.tuples(st.sampled_from(STEPS), st.booleans()), min_size=1, max_size=10))
def test_random_workflows_keep_the_counts_equal_to_a_recount(app, steps) -> None:  # noqa: ANN001
    # The staff member starts with an approved SKP (evaluations under way), the colleague
    # with none: both ends of the cycle within a few steps.
    people, _ = approved_evaluations(app)
    filled: set[int] = set()
    for step, colleague in steps:
        nip = people.colleague if colleague else people.staff
        _step(app, step, nip, people.atasan, None, filled)
        with app.app_context():
            assert hitungan.differences(db.session) == [], (step, colleague)
            assert butir.differences(db.session) == [], (step, colleague)


def test_a_transfer_moves_the_pegawai_between_the_units_counts(app) -> None:  # noqa: ANN001
    people, rhk_id = chain_with_submitted_skps(app)
    skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=rhk_id, submit=True)
    with app.test_request_context():
        session = db.session
        pegawai, _ = _latest(session, people.staff)
        year = skp_service.active_year(session).id
        old, new = pegawai.unit_kerja_id, session.get(UnitKerja, pegawai.unit_kerja_id).parent_id
        before = hitungan.stored(session, [old, new])
        pegawai.unit_kerja_id = new
        master.save_pegawai(session, pegawai)
        session.commit()
        after = hitungan.stored(session, [old, new])
    key = "skp:diajukan"
    assert after[(old, year, key)] == before[(old, year, key)] - 1
    assert after[(new, year, key)] == before.get((new, year, key), 0) + 1


def test_a_flush_recounts_only_the_families_of_measures_its_changes_move(app, monkeypatch) -> None:  # noqa: ANN001
    """An approval moves the SKP counts and adds unrated evaluations of a first version: the
    predikat and Kurva queries are not run; a rating moves those too. The counts stay equal
    to a recount either way."""
    people, rhk_id = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=rhk_id, submit=True)
    recounted: list[set[str]] = []
    original = hitungan.refresh

    def noted(session, unit_ids, families=hitungan.FAMILIES):  # noqa: ANN001, ANN202
        if unit_ids:
            recounted.append(set(families))
        return original(session, unit_ids, families)

    monkeypatch.setattr(hitungan, "refresh", noted)
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        assert set().union(*recounted) == {hitungan.SKP, hitungan.PENILAIAN}
        assert hitungan.differences(db.session) == []
        evaluation = _first_evaluation(db.session, db.session.get(Skp, skp_id))
        evaluation_id = evaluation.id
    fill_realisasi(app, evaluation_id)
    with app.test_request_context():
        penilaian_service.submit(db.session, evaluation_id, viewer_of(app, people.staff))
        db.session.commit()
        recounted.clear()
        penilaian_service.rate(
            db.session, evaluation_id, viewer_of(app, people.atasan), "sesuai", "sesuai"
        )
        db.session.commit()
        assert {hitungan.PREDIKAT, hitungan.KURVA} <= set().union(*recounted)
        assert hitungan.differences(db.session) == []


def test_a_settled_annual_result_counts_as_ready_for_siasn_until_a_revision_supersedes_it(
    app,
) -> None:  # noqa: ANN001
    """The staff member's year rated and accepted: one more pegawai of the unit is ready
    for the SIASN export; a revision of the SKP leaves the newest version without a settled
    year, and the count goes back (the export takes the newest version's result)."""
    people, rows = approved_evaluations(app)
    annual = rows["tahunan"]

    def ready() -> int:
        with app.app_context():
            unit = viewer_of(app, people.staff).pegawai_id
            unit = db.session.get(Pegawai, unit).unit_kerja_id
            year = db.session.get(Penilaian, annual).periode_id
            assert hitungan.differences(db.session) == []
            return hitungan.stored(db.session, [unit]).get((unit, year, hitungan.SIAP_SIASN), 0)

    before = ready()
    fill_realisasi(app, annual)
    with app.test_request_context():
        penilaian_service.submit(db.session, annual, viewer_of(app, people.staff))
        penilaian_service.rate(
            db.session, annual, viewer_of(app, people.atasan), "sesuai", "sesuai"
        )
        db.session.commit()
    assert ready() == before  # rated, not yet accepted
    with app.test_request_context():
        penilaian_service.accept(db.session, annual, viewer_of(app, people.staff))
        db.session.commit()
    assert ready() == before + 1
    with app.test_request_context():
        skp_id = db.session.get(Penilaian, annual).skp_id
        skp_service.revise(db.session, skp_id, viewer_of(app, people.staff))
        db.session.commit()
    assert ready() == before


def test_maintained_and_live_counts_agree_on_every_page_part(app) -> None:  # noqa: ANN001
    with app.test_request_context():
        session = db.session
        periods = kepatuhan.periode_choices(session)
        year = periode_service.active_annual(periods)
        root = session.execute(select(UnitKerja).where(UnitKerja.parent_id.is_(None))).scalar()
        # A viewer who sees every pegawai (heading the root of the tree) but is not admin
        # BKPSDM: at the city level the maintained counts do not serve them, so they are
        # counted live — the same pegawai, and so the same figures as admin's.
        live = Viewer(user_id=None, pegawai_id=-1, opd_paths=(root.path,))
        for periode in [p for p in periods if p.tahun == year.tahun]:
            chosen = Cakupan.of(periods, periode)
            for today in (year.tanggal_mulai, year.tanggal_selesai + dt.timedelta(days=40)):
                kewajiban = kepatuhan.kewajiban_of(periods, chosen, today)
                assert scope.sees_every_pegawai_under(ADMIN, None)
                assert not scope.sees_every_pegawai_under(live, None)
                assert kepatuhan.per_unit(session, ADMIN, kewajiban) == kepatuhan.per_unit(
                    session, live, kewajiban
                )
                assert kepatuhan.penilaian_per_group(
                    session, ADMIN, kewajiban
                ) == kepatuhan.penilaian_per_group(session, live, kewajiban)
                assert kepatuhan.terlambat(session, ADMIN, kewajiban, today) == kepatuhan.terlambat(
                    session, live, kewajiban, today
                )
                assert (
                    kepatuhan.halaman(session, ADMIN, kewajiban, None, 1).total
                    == kepatuhan.halaman(session, live, kewajiban, None, 1).total
                )
            assert dashboard.active_pegawai(session, ADMIN) == dashboard.active_pegawai(
                session, live
            )
            admin_summary = monitoring.summary(session, ADMIN, chosen)[1].counts
            live_summary = monitoring.summary(session, live, chosen)[1].counts
            assert admin_summary == live_summary
            for opd in kurva.opd_choices(session, ADMIN):
                # The Kurva's distribution: maintained (admin sees every OPD whole) and live.
                counted = kurva._anggota_query(live, opd, periode, counted=True)
                live_kurva = Counter(dict(session.execute(counted).tuples().all()))
                assert kurva.predikat_anggota(session, ADMIN, opd, periode) == live_kurva


def test_verify_counts_finds_a_tampered_row_and_recount_repairs_it(app) -> None:  # noqa: ANN001
    runner = app.test_cli_runner()
    assert runner.invoke(args=["verify-counts"]).exit_code == 0
    with app.app_context():
        row_id, ukuran, jumlah = db.session.execute(
            select(Hitungan.id, Hitungan.ukuran, Hitungan.jumlah).order_by(Hitungan.id).limit(1)
        ).one()
        db.session.execute(
            update(Hitungan).where(Hitungan.id == row_id).values(jumlah=Hitungan.jumlah + 3)
        )
        db.session.commit()
    expected = f"{ukuran}: stored {jumlah + 3}, recounted {jumlah}"
    found = runner.invoke(args=["verify-counts"])
    assert found.exit_code == 1
    assert expected in found.output
    repaired = runner.invoke(args=["recount"])
    assert repaired.exit_code == 0
    assert runner.invoke(args=["verify-counts"]).exit_code == 0


def test_verify_counts_finds_a_lost_or_changed_open_item_and_recount_repairs_it(app) -> None:  # noqa: ANN001
    runner = app.test_cli_runner()
    assert runner.invoke(args=["verify-counts"]).exit_code == 0
    with app.app_context():
        first, second = db.session.execute(
            select(ButirKepatuhan.id, ButirKepatuhan.pegawai_id)
            .order_by(ButirKepatuhan.id)
            .limit(2)
        ).all()
        db.session.execute(delete(ButirKepatuhan).where(ButirKepatuhan.id == first.id))
        db.session.execute(
            update(ButirKepatuhan).where(ButirKepatuhan.id == second.id).values(menunggu="atasan")
        )
        db.session.commit()
    found = runner.invoke(args=["verify-counts"])
    assert found.exit_code == 1
    assert f"open item found, not stored: pegawai {first.pegawai_id}," in found.output
    assert f"open item stored, not found: pegawai {second.pegawai_id}," in found.output
    assert runner.invoke(args=["recount"]).exit_code == 0
    assert runner.invoke(args=["verify-counts"]).exit_code == 0


def test_renaming_an_opd_re_sorts_its_open_items(app) -> None:  # noqa: ANN001
    people, _ = approved_evaluations(app)
    with app.test_request_context():
        session = db.session
        pegawai, _ = _latest(session, people.staff)
        opd_id = [int(x) for x in pegawai.unit_kerja.path.strip("/").split("/")][1]
        opd = session.get(UnitKerja, opd_id)
        old_name = opd.nama
        opd.nama = f"{old_name} (baru)"
        master.save_unit(session, opd)
        session.commit()
        names = set(
            session.execute(
                select(ButirKepatuhan.opd_nama).where(ButirKepatuhan.opd_id == opd_id)
            ).scalars()
        )
        assert names == {f"{old_name} (baru)"}
        opd.nama = old_name
        master.save_unit(session, opd)
        session.commit()
        assert butir.differences(session) == []


def test_moving_a_bidang_to_another_opd_moves_its_open_items_only(app) -> None:  # noqa: ANN001
    """A moved unit changes the items of the pegawai under it (their OPD, the unit path the
    list groups by); the items of everyone else are left as they were, not rebuilt. Its
    counts move from one OPD's sums to the other's."""
    people, _ = approved_evaluations(app)
    with app.test_request_context():
        session = db.session
        pegawai, _ = _latest(session, people.staff)
        bidang = session.get(UnitKerja, pegawai.unit_kerja_id)
        old_opd, old_parent = int(bidang.path.strip("/").split("/")[1]), bidang.parent_id
        other_opd = session.execute(
            select(UnitKerja)
            .where(UnitKerja.path.like("/%/%/"), UnitKerja.id != old_opd)
            .order_by(UnitKerja.id)
            .limit(1)
        ).scalar_one()
        under_bidang = set(
            session.execute(
                select(Pegawai.id)
                .join(UnitKerja, UnitKerja.id == Pegawai.unit_kerja_id)
                .where(UnitKerja.path.startswith(bidang.path))
            ).scalars()
        )
        others = select(ButirKepatuhan.id).where(ButirKepatuhan.pegawai_id.not_in(under_bidang))
        kept = set(session.execute(others).scalars())
        bidang.parent_id = other_opd.id
        with statements(app) as sent:
            master.save_unit(session, bidang)
            session.commit()
        rebuilt = [
            s for s in sent if s.startswith("DELETE FROM butir_kepatuhan") and "WHERE" not in s
        ]
        assert not rebuilt, "every open item was rebuilt for one moved bidang"
        moved = set(
            session.execute(
                select(ButirKepatuhan.opd_id).where(ButirKepatuhan.pegawai_id == pegawai.id)
            ).scalars()
        )
        assert moved == {other_opd.id}
        assert butir.differences(session) == []
        assert set(session.execute(others).scalars()) == kept  # the same rows, not rewritten
        # Its counts move to the other OPD's sums (what the city-wide pages read).
        assert hitungan.differences(session) == []
        city = hitungan.sums(session, None, [], (hitungan.PEGAWAI,))
        assert city[other_opd.id].get(None, hitungan.PEGAWAI) >= len(under_bidang)
        bidang.parent_id = old_parent
        master.save_unit(session, bidang)
        session.commit()
        assert butir.differences(session) == []
        assert hitungan.differences(session) == []


def test_training_recorded_moved_and_removed_keeps_the_jp_of_each_year(app) -> None:  # noqa: ANN001
    """The JP tally's rows (app.services.jp_tahunan) follow every training change through
    the services, and a new year gets a row for every active pegawai."""
    from app.models.hitungan import JpTahunan
    from app.services import jp_tahunan
    from app.services import pengembangan as service
    from app.services.pengembangan import IsianPelatihan

    people, _ = approved_evaluations(app)
    with app.test_request_context():
        session = db.session
        pegawai, _ = _latest(session, people.staff)
        year = skp_service.active_year(session).tahun

        def jp_of(tahun: int) -> int | None:
            return session.execute(
                select(JpTahunan.jp).where(
                    JpTahunan.pegawai_id == pegawai.id, JpTahunan.tahun == tahun
                )
            ).scalar()

        before = jp_of(year)
        isian = IsianPelatihan("Diklat kepemimpinan", None, dt.date(year, 3, 1), None, 12)
        training = service.add_pelatihan(session, ADMIN, pegawai.nip, isian)
        session.commit()
        assert jp_of(year) == before + 12
        moved = IsianPelatihan(
            "Diklat kepemimpinan", None, dt.date(year, 3, 1), dt.date(year, 3, 4), 30
        )
        service.update_pelatihan(session, training.id, ADMIN, moved)
        session.commit()
        assert jp_of(year) == before + 30
        service.delete_pelatihan(session, training.id, ADMIN)
        session.commit()
        assert jp_of(year) == before
        assert jp_tahunan.differences(session) == []


def test_verify_counts_finds_a_wrong_jp_and_recount_repairs_it(app) -> None:  # noqa: ANN001
    from app.models.hitungan import JpTahunan

    runner = app.test_cli_runner()
    assert runner.invoke(args=["verify-counts"]).exit_code == 0
    with app.app_context():
        row = db.session.execute(
            select(JpTahunan.id, JpTahunan.pegawai_id, JpTahunan.tahun).limit(1)
        ).one()
        db.session.execute(
            update(JpTahunan).where(JpTahunan.id == row.id).values(jp=JpTahunan.jp + 7)
        )
        db.session.commit()
    found = runner.invoke(args=["verify-counts"])
    assert found.exit_code == 1
    assert f"JP of pegawai {row.pegawai_id} in {row.tahun}: stored" in found.output
    assert runner.invoke(args=["recount"]).exit_code == 0
    assert runner.invoke(args=["verify-counts"]).exit_code == 0


def test_a_new_year_and_its_removal_keep_the_open_items_and_jp_equal_to_a_recount(app) -> None:  # noqa: ANN001
    """A new annual periode adds its year's rows (every active pegawai owes an SKP, has a
    JP), its removal takes them away, and no other year's rows are rewritten."""
    from app.models.hitungan import JpTahunan
    from app.models.master import Periode
    from app.services import jp_tahunan

    with app.test_request_context():
        session = db.session
        other = session.execute(select(func.count(ButirKepatuhan.id))).scalar()
        year = Periode(
            tahun=2777,
            jenis="tahunan",
            tanggal_mulai=dt.date(2777, 1, 1),
            tanggal_selesai=dt.date(2777, 12, 31),
            aktif=False,
        )
        master.save_periode(session, year)
        session.commit()
        added = session.execute(
            select(func.count(ButirKepatuhan.id)).where(ButirKepatuhan.tahunan_id == year.id)
        ).scalar()
        assert added > 0
        assert session.execute(select(func.count(ButirKepatuhan.id))).scalar() == other + added
        assert session.execute(
            select(func.count(JpTahunan.id)).where(JpTahunan.tahun == 2777)
        ).scalar()
        assert butir.differences(session) == [] and jp_tahunan.differences(session) == []
        for periode in session.execute(select(Periode).where(Periode.tahun == 2777)).scalars():
            master.delete_row(session, periode)
        session.commit()
        assert session.execute(select(func.count(ButirKepatuhan.id))).scalar() == other
        assert butir.differences(session) == [] and jp_tahunan.differences(session) == []


def test_the_kurvas_maintained_distribution_is_the_live_one(app) -> None:  # noqa: ANN001
    """A rated pegawai counts under their predikat while active and after leaving; an
    active pegawai not rated counts as not rated, an inactive one not at all."""
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    with app.test_request_context():
        session = db.session
        penilaian_service.submit(session, rows["tw1"], viewer_of(app, people.staff))
        penilaian_service.rate(
            session, rows["tw1"], viewer_of(app, people.atasan), "di_atas", "di_atas"
        )
        session.commit()
    for leaving in (None, people.staff, people.colleague):
        with app.test_request_context():
            session = db.session
            if leaving is not None:
                pegawai = session.execute(
                    select(Pegawai).where(Pegawai.nip == leaving)
                ).scalar_one()
                pegawai.aktif = False
                master.save_pegawai(session, pegawai)
                session.commit()
            staff = session.execute(select(Pegawai).where(Pegawai.nip == people.staff)).scalar_one()
            opd = session.execute(select(UnitKerja).where(UnitKerja.kode == "BAPPEDA")).scalar_one()
            assert staff.unit_kerja.path.startswith(opd.path)
            periode = session.get(Penilaian, rows["tw1"]).periode
            outsider = Viewer(user_id=None, pegawai_id=-1, opd_paths=(opd.path,))
            counted = kurva._anggota_query(outsider, opd, periode, counted=True)
            live = Counter(dict(session.execute(counted).tuples().all()))
            assert live["sangat_baik"] >= 1
            assert kurva.predikat_anggota(session, ADMIN, opd, periode) == live


def _waiting_listed_and_tallied(session, kewajiban) -> tuple[dict, dict]:  # noqa: ANN001
    """kepatuhan.per_atasan as {penilai: items}, and a tally of the selection's open items
    waiting on a penilai."""
    items = kepatuhan.items(session, ADMIN, kewajiban)
    waiting = Counter(
        session.execute(
            select(items.c.penilai_id).where(
                items.c.menunggu == butir.ATASAN, items.c.penilai_id.is_not(None)
            )
        ).scalars()
    )
    found = kepatuhan.per_atasan(session, ADMIN, kewajiban, limit=100_000)
    return {row.pegawai_id: row.skp + row.penilaian for row in found}, dict(waiting)


def test_who_has_most_waiting_in_an_opd_is_what_its_open_items_say(app) -> None:  # noqa: ANN001
    """kepatuhan.per_atasan of an OPD seen whole reads the counts kept per penilai of that
    OPD: the same pejabat penilai and counts as a tally of the OPD's items waiting on one,
    in every OPD and for every period's selection."""
    from app.services import cakupan as cakupan_service

    approved_evaluations(app)
    with app.test_request_context():
        session = db.session
        periods = kepatuhan.periode_choices(session)
        year = periode_service.active_annual(periods)
        today = year.tanggal_selesai + dt.timedelta(days=40)
        opds = session.execute(select(UnitKerja).where(UnitKerja.path.like("/%/%/"))).scalars()
        for opd in opds:
            for periode in [p for p in periods if p.tahun == year.tahun]:
                chosen = cakupan_service.choose(session, ADMIN, periods, periode.id, opd.id, year)
                kewajiban = kepatuhan.kewajiban_of(periods, chosen, today)
                listed, tallied = _waiting_listed_and_tallied(session, kewajiban)
                assert listed == tallied, (opd.kode, periode.id)


def test_who_has_most_waiting_in_the_city_is_what_the_open_items_say(app) -> None:  # noqa: ANN001
    """Admin's "per atasan" table of the whole city, from the counts kept per penilai."""
    approved_evaluations(app)
    with app.test_request_context():
        session = db.session
        periods = kepatuhan.periode_choices(session)
        year = periode_service.active_annual(periods)
        today = year.tanggal_selesai + dt.timedelta(days=40)
        for periode in [p for p in periods if p.tahun == year.tahun]:
            kewajiban = kepatuhan.kewajiban_of(periods, Cakupan.of(periods, periode), today)
            listed, tallied = _waiting_listed_and_tallied(session, kewajiban)
            assert listed == tallied


def test_a_deleted_evaluation_takes_what_waited_on_its_penilai_along(app) -> None:  # noqa: ANN001
    """An evaluation waiting on its pejabat penilai deleted, as a transfer withdraws the
    periods the post left gives up (through the ORM): the database's cascade takes its open
    item, and the count of what waits on that penilai follows (noted before the row went;
    the pegawai's own items, refreshed after, no longer name the penilai)."""
    people, ids = approved_evaluations(app)
    fill_realisasi(app, ids["tw1"])
    with app.test_request_context():
        session = db.session
        penilaian_service.submit(session, ids["tw1"], viewer_of(app, people.staff))
        session.commit()
        atasan_id = session.execute(
            select(Pegawai.id).where(Pegawai.nip == people.atasan)
        ).scalar_one()

        def waiting_on_atasan() -> int:
            return session.execute(
                select(func.coalesce(func.sum(ButirPenilai.jumlah), 0)).where(
                    ButirPenilai.penilai_id == atasan_id
                )
            ).scalar_one()

        before = waiting_on_atasan()
        assert before >= 1
        session.delete(session.get(Penilaian, ids["tw1"]))
        session.commit()
        assert waiting_on_atasan() == before - 1
        assert butir.differences(session) == []


def test_a_change_of_more_pegawai_than_are_refreshed_by_key_rebuilds_whole(
    app, monkeypatch
) -> None:  # noqa: ANN001
    """Past _REFRESHED_AT_MOST pegawai (a bulk change; PostgreSQL's driver refuses a
    statement of over 65,535 keys) the counts, JP and open items are rebuilt whole, and
    still equal a recount."""
    people, rhk_id = chain_with_submitted_skps(app)
    skp_id, _ = skp_with_rhk(app, people.staff, "Arsip massal", intervensi_id=rhk_id, submit=True)
    rebuilt: list[str] = []
    for module in (hitungan, butir):
        original = module.rebuild
        monkeypatch.setattr(
            module,
            "rebuild",
            lambda session, *a, _o=original, _n=module.__name__, **k: (
                rebuilt.append(_n) or _o(session, *a, **k)
            ),
        )
    monkeypatch.setattr(hitungan, "_REFRESHED_AT_MOST", 0)
    with app.test_request_context():
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        assert set(rebuilt) == {hitungan.__name__, butir.__name__}
        assert hitungan.differences(db.session) == []
        assert butir.differences(db.session) == []
