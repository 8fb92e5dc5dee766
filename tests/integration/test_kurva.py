"""Kurva distribusi (SE MenPANRB 3/2023): an OPD of our own whose pegawai were rated through
the evaluation services; its pimpinan sets the predikat kinerja organisasi, sees the
distribution and the rules it breaks, tries a what-if and records a justification.

The rules' boundaries are unit-tested in tests/unit/test_scoring.py; here the distribution
comes from real evaluations, and who may see or write what is checked per role.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Jabatan, Pegawai, Periode, UnitKerja
from app.models.monitoring import Realisasi
from app.models.penilaian import KurvaJustifikasi, Penilaian, PredikatOrganisasi
from app.models.skp import Skp
from tests.factories import PASSWORD, skp_with_rhk, unique_nip, viewer_of

URL = "/kurva/"
_serial = itertools.count(1)

# (rating hasil kerja, rating perilaku kerja) of each staff member's annual evaluation.
ANNUAL = [
    ("di_atas", "di_atas"),  # sangat_baik
    ("sesuai", "sesuai"),  # baik
    ("sesuai", "di_atas"),  # baik
    ("di_bawah", "sesuai"),  # butuh_perbaikan
]


@dataclass(frozen=True)
class Opd:
    """A fresh OPD: its head (pimpinan), a bidang with an atasan and four rated staff."""

    id: int
    bidang_id: int
    tahunan: int
    tw1: int
    pimpinan: str
    atasan: str
    staff: list[str]
    staff_ids: list[int]


def _new_opd(app) -> Opd:
    from app.security import roles
    from app.services import org

    with app.app_context():
        session = db.session
        sm = app.appbuilder.sm
        root_id = session.execute(
            select(UnitKerja.id).where(UnitKerja.parent_id.is_(None))
        ).scalar_one()
        sekda = session.execute(
            select(UnitKerja.kepala_id).where(UnitKerja.kode == "SETDA")
        ).scalar_one()
        n = next(_serial)
        opd = UnitKerja(kode=f"KURVA-{n}", nama=f"Dinas Uji Kurva {n}", jenis="dinas")
        opd.parent_id = root_id
        session.add(opd)
        session.flush()
        org.refresh_unit_paths(session, opd)
        bidang = UnitKerja(kode=f"KURVA-{n}-B", nama="Bidang Kurva", jenis="bidang")
        bidang.parent_id = opd.id
        session.add(bidang)
        session.flush()
        org.refresh_unit_paths(session, bidang)

        def jabatan(nama: str, jenis: str) -> Jabatan:
            found = session.execute(
                select(Jabatan).where(Jabatan.nama == nama, Jabatan.jenis == jenis)
            ).scalar()
            if found is None:
                found = Jabatan(nama=nama, jenis=jenis)
                session.add(found)
            return found

        def person(nama: str, jab: Jabatan, unit_id: int, atasan_id: int | None) -> Pegawai:
            nip = unique_nip()
            user = sm.add_user(
                username=nip,
                first_name=nama,
                last_name="Kurva",
                email=f"{nip}@test.invalid",
                role=[sm.find_role(roles.PEGAWAI)],
                password=PASSWORD,
            )
            pegawai = Pegawai(
                nip=nip,
                nama=nama,
                jenis_asn="pns",
                unit_kerja_id=unit_id,
                jabatan=jab,
                atasan_id=atasan_id,
                user_id=user.id,
                aktif=True,
            )
            session.add(pegawai)
            session.flush()
            return pegawai

        head = person("Kepala Kurva", jabatan("Kepala Dinas Uji", "jpt"), opd.id, sekda)
        opd.kepala_id = head.id
        atasan = person(
            "Kabid Kurva", jabatan("Kepala Bidang Uji", "administrator"), bidang.id, head.id
        )
        staff = [
            person(f"Staf Kurva {i}", jabatan("Analis Uji", "pelaksana"), bidang.id, atasan.id)
            for i in range(len(ANNUAL))
        ]
        org.sync_roles(session, [head.id, atasan.id] + [p.id for p in staff])
        tahun = session.execute(
            select(Periode.tahun).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        periods = dict(
            session.execute(select(Periode.jenis, Periode.id).where(Periode.tahun == tahun)).all()
        )
        session.commit()
        return Opd(
            id=opd.id,
            bidang_id=bidang.id,
            tahunan=periods["tahunan"],
            tw1=periods["tw1"],
            pimpinan=head.nip,
            atasan=atasan.nip,
            staff=[p.nip for p in staff],
            staff_ids=[p.id for p in staff],
        )


def _rate(app, people: Opd, staff_nip: str, periode_id: int, ratings: tuple[str, str]) -> None:
    """Realisasi → submit (pegawai) → rate (pejabat penilai), through the services."""
    from app.services import penilaian as penilaian_service

    with app.test_request_context():
        session = db.session
        pegawai_id = session.execute(
            select(Pegawai.id).where(Pegawai.nip == staff_nip)
        ).scalar_one()
        penilaian = session.execute(
            select(Penilaian)
            .join(Skp, Penilaian.skp_id == Skp.id)
            .where(Penilaian.periode_id == periode_id, Skp.pegawai_id == pegawai_id)
        ).scalar_one()
        for rhk in penilaian.skp.rencana_hasil_kerja:
            for indikator in rhk.indikator:
                session.add(
                    Realisasi(
                        indikator_kinerja_id=indikator.id,
                        periode_id=periode_id,
                        nilai=Decimal("12"),
                    )
                )
        session.flush()
        penilaian_service.submit(session, penilaian.id, viewer_of(app, staff_nip))
        penilaian_service.rate(session, penilaian.id, viewer_of(app, people.atasan), *ratings)
        session.commit()


@pytest.fixture(scope="module")
def opd(app) -> Opd:
    """The OPD with the staff's SKPs approved; the four annual evaluations rated as ANNUAL
    and the first staff member's tw1 as Sangat Kurang."""
    from app.services import skp as skp_service

    people = _new_opd(app)
    _, top = skp_with_rhk(
        app, people.pimpinan, "Urusan dinas", penugasan_dari="Wali Kota", submit=True
    )
    _, middle = skp_with_rhk(app, people.atasan, "Layanan bidang", intervensi_id=top, submit=True)
    for nip in people.staff:
        skp_id, _ = skp_with_rhk(app, nip, "Berkas tertata", intervensi_id=middle, submit=True)
        with app.test_request_context():
            skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
            db.session.commit()
    for nip, ratings in zip(people.staff, ANNUAL, strict=True):
        _rate(app, people, nip, people.tahunan, ratings)
    _rate(app, people, people.staff[0], people.tw1, ("di_bawah", "di_bawah"))
    return people


# --- helpers -----------------------------------------------------------------------------


def page_url(people: Opd, periode_id: int | None = None, unit_id: int | None = None) -> str:
    unit = people.id if unit_id is None else unit_id
    return f"{URL}?unit_kerja_id={unit}&periode_id={periode_id or people.tahunan}"


def distribution_of(html: str) -> dict[str, int]:
    """The "now" count per predikat of the page's distribution table."""
    rows = re.findall(r'<tr data-predikat="(\w+)">.*?data-now-count>(\d+)<', html, flags=re.DOTALL)
    return {key: int(count) for key, count in rows}


def rule_lines(html: str) -> dict[str, bool]:
    """rule key → breached, from the page's rule table."""
    return {
        key: breached == "1"
        for key, breached in re.findall(r'<tr data-rule-key="([^"]+)" data-breached="([01])"', html)
    }


def set_predikat(client, people: Opd, predikat: str, periode_id: int | None = None):
    return client.post(
        "/kurva/tetapkan",
        data={
            "unit_kerja_id": people.id,
            "periode_id": periode_id or people.tahunan,
            "predikat": predikat,
        },
    )


def stored_predikat(app, people: Opd, periode_id: int | None = None) -> str | None:
    with app.app_context():
        return db.session.execute(
            select(PredikatOrganisasi.predikat).where(
                PredikatOrganisasi.unit_kerja_id == people.id,
                PredikatOrganisasi.periode_id == (periode_id or people.tahunan),
            )
        ).scalar()


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (Penilaian, PredikatOrganisasi, KurvaJustifikasi, AuditLog, Realisasi)
        }


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


BREACHES_UNDER_BUTUH_PERBAIKAN = {
    "butuh_perbaikan:butuh_perbaikan:at_least=60": True,  # 1 of 4 is 25 %
    "butuh_perbaikan:sangat_baik:at_most=10": True,  # 1 of 4 is 25 %
}


# --- the distribution --------------------------------------------------------------------


def test_distribution_counts_the_rated_evaluations_of_the_opd(app, login, opd):
    html = login(opd.pimpinan).get(page_url(opd)).get_data(as_text=True)
    assert distribution_of(html) == {
        "sangat_baik": 1,
        "baik": 2,
        "butuh_perbaikan": 1,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert re.search(r'id="kurva-total">.*?data-now-count>4<', html)
    # The head and the atasan have no approved SKP: listed, not yet rated.
    assert re.search(r'id="kurva-belum">.*?data-now-count>2<', html)
    assert "50,0 %" in html  # two of four Baik, in the Indonesian notation


def test_service_gives_the_same_distribution_and_every_member(app, opd):
    from app.services import kurva

    with app.test_request_context():
        found = kurva.kalibrasi(db.session, viewer_of_pimpinan(app, opd), opd.id, opd.tahunan)
        by_nip = {member.nip: member.predikat for member in found.anggota}
    assert [by_nip[nip] for nip in opd.staff] == [
        "sangat_baik",
        "baik",
        "baik",
        "butuh_perbaikan",
    ]
    assert by_nip[opd.pimpinan] is None and by_nip[opd.atasan] is None
    assert (found.distribusi.total, found.distribusi.belum_dinilai) == (4, 2)


def viewer_of_pimpinan(app, people: Opd):
    """The pimpinan's viewer with the OPD they head (factories.viewer_of leaves it out)."""
    from app.security.scope import viewer_for

    with app.app_context():
        user = db.session.execute(
            select(Pegawai.user_id).where(Pegawai.nip == people.pimpinan)
        ).scalar_one()
        return viewer_for(app.appbuilder.sm.get_user_by_id(user), db.session)


def test_each_periode_has_its_own_distribution(app, login, opd):
    html = login(opd.pimpinan).get(page_url(opd, opd.tw1)).get_data(as_text=True)
    assert distribution_of(html)["sangat_kurang"] == 1
    assert sum(distribution_of(html).values()) == 1


def test_pimpinan_starts_on_their_opd_and_the_active_year(app, login, opd):
    html = login(opd.pimpinan).get(URL).get_data(as_text=True)
    assert f'data-unit-kerja-id="{opd.id}" data-periode-id="{opd.tahunan}"' in html


# --- predikat organisasi and the rule -----------------------------------------------------


def test_no_rule_applies_before_the_predikat_organisasi_is_set(app, login, opd):
    html = login(opd.pimpinan).get(page_url(opd, opd.tw1)).get_data(as_text=True)
    assert rule_lines(html) == {}
    assert "kurva-peringatan" not in html


def test_breaches_follow_the_predikat_organisasi(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "butuh_perbaikan")
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert rule_lines(html) == BREACHES_UNDER_BUTUH_PERBAIKAN
    assert 'id="kurva-peringatan"' in html

    set_predikat(client, opd, "baik")  # 2 of 4 Baik (≤ 70 %), one Butuh Perbaikan
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert rule_lines(html) == {
        "baik:baik:at_most=70": False,
        "baik:butuh_perbaikan+kurang:at_least_count=1": False,
    }
    assert 'id="kurva-peringatan"' not in html and 'id="kurva-sesuai"' in html


def test_setting_the_predikat_organisasi_updates_one_row_and_is_audited(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "istimewa", opd.tw1)
    set_predikat(client, opd, "kurang", opd.tw1)
    with app.app_context():
        rows = (
            db.session.execute(
                select(PredikatOrganisasi).where(
                    PredikatOrganisasi.unit_kerja_id == opd.id,
                    PredikatOrganisasi.periode_id == opd.tw1,
                )
            )
            .scalars()
            .all()
        )
        assert [row.predikat for row in rows] == ["kurang"]
        assert rows[0].ditetapkan_oleh_id == viewer_of(app, opd.pimpinan).pegawai_id
        audit = db.session.execute(
            select(AuditLog.action, AuditLog.username, AuditLog.changes)
            .where(AuditLog.table_name == "predikat_organisasi", AuditLog.row_id == str(rows[0].id))
            .order_by(AuditLog.id)
        ).all()
    assert [(action, user) for action, user, _ in audit] == [
        ("insert", opd.pimpinan),
        ("update", opd.pimpinan),
    ]
    assert audit[1].changes["predikat"] == ["istimewa", "kurang"]


def test_an_unknown_predikat_organisasi_is_refused(app, login, opd):
    before = stored_predikat(app, opd, opd.tw1)
    response = set_predikat(login(opd.pimpinan), opd, "luar_biasa", opd.tw1)
    assert response.status_code == 302
    assert stored_predikat(app, opd, opd.tw1) == before


def test_a_change_made_meanwhile_is_not_overwritten(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "baik")
    html = client.get(page_url(opd)).get_data(as_text=True)
    seen = re.search(r'name="ditetapkan" type="hidden" value="([^"]*)"', html).group(1)
    assert seen
    login("admin").post(
        "/kurva/tetapkan",
        data={"unit_kerja_id": opd.id, "periode_id": opd.tahunan, "predikat": "istimewa"},
    )
    late = client.post(
        "/kurva/tetapkan",
        data={
            "unit_kerja_id": opd.id,
            "periode_id": opd.tahunan,
            "predikat": "kurang",
            "ditetapkan": seen,
        },
        follow_redirects=True,
    )
    assert late.status_code == 200
    assert stored_predikat(app, opd) == "istimewa"


# --- justification -----------------------------------------------------------------------


def justify(client, people: Opd, alasan: str):
    return client.post(
        "/kurva/justifikasi",
        data={"unit_kerja_id": people.id, "periode_id": people.tahunan, "alasan": alasan},
    )


def justifications(app, people: Opd) -> list[KurvaJustifikasi]:
    with app.app_context():
        rows = db.session.execute(
            select(KurvaJustifikasi)
            .where(
                KurvaJustifikasi.unit_kerja_id == people.id,
                KurvaJustifikasi.periode_id == people.tahunan,
            )
            .order_by(KurvaJustifikasi.id)
        ).scalars()
        found = list(rows)
        db.session.expunge_all()
        return found


def test_justification_is_stored_with_the_breaches_who_when_and_an_audit_row(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "butuh_perbaikan")
    before = len(justifications(app, opd))
    response = justify(client, opd, "Bidang baru dibentuk; kinerja tahun ini luar biasa.")
    assert response.status_code == 302
    rows = justifications(app, opd)
    assert len(rows) == before + 1
    entry = rows[-1]
    assert entry.alasan == "Bidang baru dibentuk; kinerja tahun ini luar biasa."
    assert entry.oleh_id == viewer_of(app, opd.pimpinan).pegawai_id
    assert entry.waktu is not None
    assert {item["key"] for item in entry.pelanggaran} == set(BREACHES_UNDER_BUTUH_PERBAIKAN)
    assert {(item["count"], item["total"]) for item in entry.pelanggaran} == {(1, 4)}
    with app.app_context():
        audit = db.session.execute(
            select(AuditLog.action, AuditLog.username).where(
                AuditLog.table_name == "kurva_justifikasi", AuditLog.row_id == str(entry.id)
            )
        ).all()
    assert audit == [("insert", opd.pimpinan)]

    html = client.get(page_url(opd)).get_data(as_text=True)
    assert f'data-justifikasi-id="{entry.id}"' in html
    assert 'id="kurva-sudah-dijustifikasi"' in html


def test_justification_is_needed_again_under_another_predikat_organisasi(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "butuh_perbaikan")
    justify(client, opd, "Alasan untuk butuh perbaikan")
    set_predikat(client, opd, "sangat_kurang")
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert 'id="kurva-peringatan"' in html
    assert 'id="kurva-sudah-dijustifikasi"' not in html


def test_justification_is_refused_when_nothing_is_breached(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "baik")
    before = len(justifications(app, opd))
    assert justify(client, opd, "Tidak perlu").status_code == 302
    assert len(justifications(app, opd)) == before


@pytest.mark.parametrize("alasan", ["", "   ", "x" * 5001])
def test_justification_must_be_written_and_at_most_5000_characters(app, login, opd, alasan):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "butuh_perbaikan")
    before = len(justifications(app, opd))
    assert justify(client, opd, alasan).status_code == 302
    assert len(justifications(app, opd)) == before


def test_a_justification_of_5000_characters_is_kept_whole(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "butuh_perbaikan")
    justify(client, opd, "y" * 5000)
    assert justifications(app, opd)[-1].alasan == "y" * 5000


# --- who may see and write ---------------------------------------------------------------


def test_pimpinan_gets_404_for_another_opd_or_a_unit_that_is_no_opd(app, login, cast, opd):
    with app.app_context():
        other_opd = db.session.execute(
            select(UnitKerja.id).where(
                UnitKerja.kepala_id
                == select(Pegawai.id).where(Pegawai.nip == cast.pimpinan).scalar_subquery()
            )
        ).scalar_one()
    client = login(opd.pimpinan)
    before = row_counts(app)
    for unit_id in (other_opd, opd.bidang_id, 999_999):
        assert client.get(page_url(opd, unit_id=unit_id)).status_code == 404
        data = {"unit_kerja_id": unit_id, "periode_id": opd.tahunan}
        assert client.post("/kurva/tetapkan", data={**data, "predikat": "baik"}).status_code == 404
        assert client.post("/kurva/justifikasi", data={**data, "alasan": "x"}).status_code == 404
        assert client.post("/kurva/simulasi", json=data).status_code == 404
    assert row_counts(app) == before


def test_pimpinan_of_another_opd_cannot_see_this_one(app, login, cast, opd):
    response = login(cast.pimpinan).get(page_url(opd))
    assert response.status_code == 404
    assert opd.staff[0] not in response.get_data(as_text=True)


def test_an_unknown_periode_answers_404(app, login, opd):
    assert login(opd.pimpinan).get(page_url(opd, 999_999)).status_code == 404


def test_admin_may_open_and_set_any_opd(app, login, opd):
    client = login("admin")
    html = client.get(page_url(opd, opd.tw1)).get_data(as_text=True)
    assert distribution_of(html)["sangat_kurang"] == 1
    set_predikat(client, opd, "sangat_kurang", opd.tw1)
    assert stored_predikat(app, opd, opd.tw1) == "sangat_kurang"
    with app.app_context():
        assert (
            db.session.execute(
                select(PredikatOrganisasi.ditetapkan_oleh_id).where(
                    PredikatOrganisasi.unit_kerja_id == opd.id,
                    PredikatOrganisasi.periode_id == opd.tw1,
                )
            ).scalar()
            is None  # admin has no pegawai record; the audit row names the account
        )


def test_admin_without_a_choice_is_asked_to_choose(app, login):
    response = login("admin").get(URL)
    assert response.status_code == 200
    assert "kurva-judul" not in response.get_data(as_text=True)


@pytest.mark.parametrize("who", ["atasan", "staff"])
def test_atasan_and_pegawai_are_refused(app, login, opd, who):
    username = opd.atasan if who == "atasan" else opd.staff[0]
    client = login(username)
    before = row_counts(app)
    data = {"unit_kerja_id": opd.id, "periode_id": opd.tahunan}
    assert client.get(page_url(opd)).status_code == 403
    assert client.post("/kurva/tetapkan", data={**data, "predikat": "baik"}).status_code == 403
    assert client.post("/kurva/justifikasi", data={**data, "alasan": "x"}).status_code == 403
    assert client.post("/kurva/simulasi", json=data).status_code == 403
    assert row_counts(app) == before


# --- what-if -----------------------------------------------------------------------------


def test_whatif_on_the_server_recomputes_and_writes_nothing(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(client, opd, "butuh_perbaikan")
    before = row_counts(app)
    # Three Butuh Perbaikan (the Sangat Baik and a Baik among them) and one not rated.
    changes = {
        str(opd.staff_ids[0]): "butuh_perbaikan",
        str(opd.staff_ids[1]): "butuh_perbaikan",
        str(opd.staff_ids[2]): None,
    }
    response = client.post(
        "/kurva/simulasi",
        json={
            "unit_kerja_id": opd.id,
            "periode_id": opd.tahunan,
            "predikat_organisasi": "butuh_perbaikan",
            "perubahan": changes,
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["counts"] == {
        "sangat_baik": 0,
        "baik": 0,
        "butuh_perbaikan": 3,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert (body["total"], body["belum_dinilai"]) == (3, 3)
    assert body["breaches"] == []
    assert [line["breached"] for line in body["aturan"]] == [False, False]
    assert row_counts(app) == before
    assert stored_predikat(app, opd) == "butuh_perbaikan"
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert distribution_of(html)["sangat_baik"] == 1  # the real ratings stand


def test_whatif_under_another_predikat_organisasi(app, login, opd):
    response = login(opd.pimpinan).post(
        "/kurva/simulasi",
        json={"unit_kerja_id": opd.id, "periode_id": opd.tahunan, "predikat_organisasi": "kurang"},
    )
    body = response.get_json()
    assert body["breaches"] == [
        "kurang:kurang:at_least=60",  # none Kurang
        "kurang:sangat_baik:at_most=10",  # one of four Sangat Baik
    ]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"predikat_organisasi": "luar_biasa"}, 422),
        ({"perubahan": {"STAFF": "hebat"}}, 422),
        ({"perubahan": {"STAFF": ["baik"]}}, 422),
        ({"perubahan": {"OUTSIDER": "baik"}}, 404),
        ({"perubahan": {"bukan-angka": "baik"}}, 404),
        ({"perubahan": ["baik"]}, 400),
    ],
)
def test_whatif_refuses_bad_input(app, login, cast, opd, body, status):
    outsider = viewer_of(app, cast.staff).pegawai_id
    if "perubahan" in body and isinstance(body["perubahan"], dict):
        body = {
            "perubahan": {
                str({"STAFF": opd.staff_ids[0], "OUTSIDER": outsider}.get(key, key)): value
                for key, value in body["perubahan"].items()
            }
        }
    response = login(opd.pimpinan).post(
        "/kurva/simulasi", json={"unit_kerja_id": opd.id, "periode_id": opd.tahunan, **body}
    )
    assert response.status_code == status
    assert response.get_json()["message"]


def test_page_embeds_the_rules_and_offers_a_whatif_per_pegawai(app, login, opd):
    import json

    from app.services import kurva

    html = login(opd.pimpinan).get(page_url(opd)).get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/json" id="kurva-data">(.*?)</script>', html).group(1)
    )
    expected = kurva.rules_data()
    assert {org: [r["key"] for r in rules] for org, rules in data["rules"].items()} == {
        org: [r["key"] for r in rules] for org, rules in expected.items()
    }
    assert data["rules"]["baik"][0]["at_most"] == 70
    assert html.count('class="form-control input-sm kurva-pilihan"') == 6
    assert "sikap/kurva.js" in html


# --- cost --------------------------------------------------------------------------------


def test_statement_count_does_not_grow_with_the_pegawai(app, login, cast, opd):
    """Our OPD of six against the demo OPD of the cast, as admin."""
    with app.app_context():
        big = db.session.execute(
            select(UnitKerja.id).where(
                UnitKerja.kepala_id
                == select(Pegawai.id).where(Pegawai.nip == cast.pimpinan).scalar_subquery()
            )
        ).scalar_one()
    client = login("admin")
    client.get(page_url(opd))  # warm up FAB's permission lookups
    costs = {}
    for name, unit_id in (("small", opd.id), ("big", big)):
        with app.app_context(), statements() as seen:
            html = client.get(page_url(opd, unit_id=unit_id)).get_data(as_text=True)
        costs[name] = (len(seen), html.count("kurva-pilihan"))
    assert costs["big"][1] > costs["small"][1]
    assert costs["big"][0] == costs["small"][0]
