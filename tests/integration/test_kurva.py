"""Kurva distribusi (SE MenPANRB 3/2023): an OPD of our own whose pegawai were rated through
the evaluation services; admin BKPSDM records the predikat kinerja organisasi (with the number
of the Wali Kota's penetapan), its pimpinan sees it as given, sees the distribution and the
rules it breaks, tries a what-if and records a justification.

The rules' boundaries are unit-tested in tests/unit/test_scoring.py; here the distribution
comes from real evaluations, and who may see or write what is checked per role.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.monitoring import Realisasi
from app.models.penilaian import KurvaJustifikasi, Penilaian, PredikatOrganisasi
from app.models.skp import Skp
from app.security.scope import Viewer
from tests.conftest import statements
from tests.factories import Opd, new_opd, skp_with_rhk, viewer_of

URL = "/kurva/"
NOMOR = "800/BKPSDM/2026/001"
ADMIN = Viewer(user_id=None, is_admin=True)

# (rating hasil kerja, rating perilaku kerja) of each staff member's annual evaluation.
ANNUAL = [
    ("di_atas", "di_atas"),  # sangat_baik
    ("sesuai", "sesuai"),  # baik
    ("sesuai", "di_atas"),  # baik
    ("di_bawah", "sesuai"),  # butuh_perbaikan
]


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


def _rated_opd(app) -> Opd:
    """A new OPD with the staff's SKPs approved; the four annual evaluations rated as ANNUAL
    and the first staff member's tw1 as Sangat Kurang."""
    from app.services import skp as skp_service

    people = new_opd(app, staff=len(ANNUAL))
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


@pytest.fixture(scope="module")
def opd(app) -> Opd:
    """The rated OPD the module's tests share: each sets the predikat organisasi it needs."""
    return _rated_opd(app)


@pytest.fixture()
def own_opd(app) -> Opd:
    """A rated OPD of the test's own, whose predikat organisasi nobody has recorded yet."""
    return _rated_opd(app)


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


def set_predikat(app, people: Opd, predikat: str, periode_id: int | None = None) -> None:
    """Admin BKPSDM records the Wali Kota's penetapan, through the service."""
    from app.services import kurva

    with app.test_request_context():
        kurva.tetapkan(db.session, ADMIN, people.id, periode_id or people.tahunan, predikat, NOMOR)
        db.session.commit()


def post_predikat(client, people: Opd, predikat: str, periode_id: int | None = None, **more):
    """The page's form: POST /kurva/tetapkan."""
    return client.post(
        "/kurva/tetapkan",
        data={
            "unit_kerja_id": people.id,
            "periode_id": periode_id or people.tahunan,
            "predikat": predikat,
            "nomor_penetapan": NOMOR,
            **more,
        },
    )


def stored(app, people: Opd, periode_id: int | None = None) -> tuple[str, str] | None:
    """(predikat, nomor penetapan) recorded for the OPD and periode."""
    with app.app_context():
        row = db.session.execute(
            select(PredikatOrganisasi.predikat, PredikatOrganisasi.nomor_penetapan).where(
                PredikatOrganisasi.unit_kerja_id == people.id,
                PredikatOrganisasi.periode_id == (periode_id or people.tahunan),
            )
        ).first()
        return tuple(row) if row else None


def stored_predikat(app, people: Opd, periode_id: int | None = None) -> str | None:
    found = stored(app, people, periode_id)
    return found[0] if found else None


def row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (Penilaian, PredikatOrganisasi, KurvaJustifikasi, AuditLog, Realisasi)
        }


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
        by_nip = {member.nip: member.predikat for member in found.anggota.rows}
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


def test_the_printed_pola_distribusi_writes_shares_with_a_comma(app, login, opd):
    """Four members rated: 25 % Sangat Baik, 50 % Baik, 25 % Butuh Perbaikan, printed as
    "25,0" and "50,0" as Indonesian writes numbers (issue 14, item 9)."""
    import io

    from pypdf import PdfReader

    response = login(opd.pimpinan).get(f"/kurva/{opd.id}/{opd.tahunan}/pola_distribusi.pdf")
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "25,0" in text and "50,0" in text and "0,0" in text
    assert not re.search(r"\b\d+\.\d\b", text)


def test_pimpinan_starts_on_their_opd_and_the_period_being_rated_now(app, login, opd):
    """The quarter that ended last (the annual periode holds no predikat until the year is
    over), as Kepatuhan counts it."""
    with app.app_context():
        year = db.session.get(Periode, opd.tahunan)
        quarters = db.session.execute(
            select(Periode).where(
                Periode.tahun == year.tahun,
                Periode.jenis.in_(["tw1", "tw2", "tw3", "tw4"]),
                Periode.tanggal_selesai < date.today(),
            )
        ).scalars()
        expected = max(quarters, key=lambda periode: periode.tanggal_selesai, default=year).id
    html = login(opd.pimpinan).get(URL).get_data(as_text=True)
    assert f'data-unit-kerja-id="{opd.id}" data-periode-id="{expected}"' in html


def chart_shares(html: str, chart: str) -> list[str]:
    svg = re.search(rf'<svg[^>]*data-chart="{chart}".*?</svg>', html, flags=re.DOTALL)
    assert svg, chart
    return re.findall(r'data-value="([\d.]+)"', svg.group(0))


def test_the_distribution_is_drawn_in_shares_of_the_rated(app, login, opd):
    html = login(opd.pimpinan).get(page_url(opd)).get_data(as_text=True)
    shares = [value for value in chart_shares(html, "grafik-distribusi") if value != "0"]
    assert shares == ["25", "50", "25"]  # Sangat Baik, Baik, Butuh Perbaikan of four


def test_each_rule_is_drawn_against_its_bound(app, login, opd):
    set_predikat(app, opd, "butuh_perbaikan")
    html = login(opd.pimpinan).get(page_url(opd)).get_data(as_text=True)
    svg = re.search(r'<svg[^>]*data-chart="grafik-aturan-kurva".*?</svg>', html, re.DOTALL)
    drawn = re.findall(r'data-met="([01])" data-share="([\d.]+)" data-bound="([\d.]+)"', svg[0])
    assert drawn == [("0", "25", "60"), ("0", "25", "10")]
    assert "paling sedikit 60,0 %" in svg[0] and "paling banyak 10,0 %" in svg[0]
    set_predikat(app, opd, "baik")
    html = login(opd.pimpinan).get(page_url(opd)).get_data(as_text=True)
    svg = re.search(r'<svg[^>]*data-chart="grafik-aturan-kurva".*?</svg>', html, re.DOTALL)
    drawn = re.findall(r'data-met="([01])" data-share="([\d.]+)" data-bound="([\d.]+)"', svg[0])
    assert drawn == [("1", "50", "70"), ("1", "25", "25")]  # at least one of four: 25 %
    assert "paling sedikit 1 pegawai" in svg[0]


# --- predikat organisasi and the rule -----------------------------------------------------


def test_no_rule_applies_before_the_predikat_organisasi_is_set(app, login, own_opd):
    html = login(own_opd.pimpinan).get(page_url(own_opd, own_opd.tw1)).get_data(as_text=True)
    assert rule_lines(html) == {}
    assert "kurva-peringatan" not in html


def test_breaches_follow_the_predikat_organisasi(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(app, opd, "butuh_perbaikan")
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert rule_lines(html) == BREACHES_UNDER_BUTUH_PERBAIKAN
    assert 'id="kurva-peringatan"' in html

    set_predikat(app, opd, "baik")  # 2 of 4 Baik (≤ 70 %), one Butuh Perbaikan
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert rule_lines(html) == {
        "baik:baik:at_most=70": False,
        "baik:butuh_perbaikan+kurang:at_least_count=1": False,
    }
    assert 'id="kurva-peringatan"' not in html and 'id="kurva-sesuai"' in html


def test_admin_records_the_predikat_organisasi_in_one_row_with_its_decree_and_audit(
    app, login, own_opd
):
    client = login("admin")
    assert post_predikat(client, own_opd, "istimewa", own_opd.tw1).status_code == 302
    post_predikat(client, own_opd, "kurang", own_opd.tw1, nomor_penetapan="800/BKPSDM/2026/002")
    with app.app_context():
        rows = (
            db.session.execute(
                select(PredikatOrganisasi).where(
                    PredikatOrganisasi.unit_kerja_id == own_opd.id,
                    PredikatOrganisasi.periode_id == own_opd.tw1,
                )
            )
            .scalars()
            .all()
        )
        assert [(row.predikat, row.nomor_penetapan) for row in rows] == [
            ("kurang", "800/BKPSDM/2026/002")
        ]
        assert rows[0].ditetapkan_pada is not None
        assert rows[0].ditetapkan_oleh_id is None  # admin has no pegawai; the audit names them
        audit = db.session.execute(
            select(AuditLog.action, AuditLog.username, AuditLog.changes)
            .where(AuditLog.table_name == "predikat_organisasi", AuditLog.row_id == str(rows[0].id))
            .order_by(AuditLog.id)
        ).all()
    assert [(action, user) for action, user, _ in audit] == [
        ("insert", "admin"),
        ("update", "admin"),
    ]
    assert audit[1].changes["predikat"] == ["istimewa", "kurang"]
    assert audit[1].changes["nomor_penetapan"] == [NOMOR, "800/BKPSDM/2026/002"]


@pytest.mark.parametrize(
    "change",
    [
        {"predikat": "luar_biasa"},
        {"nomor_penetapan": ""},
        {"nomor_penetapan": "   "},
        {"nomor_penetapan": "8" * 101},
    ],
)
def test_a_predikat_organisasi_needs_a_known_value_and_its_decree_number(app, login, opd, change):
    before = stored(app, opd, opd.tw1)
    response = login("admin").post(
        "/kurva/tetapkan",
        data={
            "unit_kerja_id": opd.id,
            "periode_id": opd.tw1,
            "predikat": "baik",
            "nomor_penetapan": NOMOR,
            **change,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert 'class="alert alert-danger' in response.get_data(as_text=True)
    assert stored(app, opd, opd.tw1) == before


def test_a_decree_number_of_100_characters_is_kept_whole(app, opd):
    from app.services import kurva

    with app.test_request_context():
        kurva.tetapkan(db.session, ADMIN, opd.id, opd.tw1, "baik", "9" * 100)
        db.session.commit()
    assert stored(app, opd, opd.tw1) == ("baik", "9" * 100)


def test_admin_cannot_record_it_for_a_unit_that_is_no_opd(app, login, opd):
    from app.domain.errors import DomainError
    from app.services import kurva

    with app.test_request_context(), pytest.raises(DomainError) as refused:
        kurva.tetapkan(db.session, ADMIN, opd.bidang_id, opd.tahunan, "baik", NOMOR)
    assert (refused.value.status, refused.value.field) == (422, "unit_kerja_id")


def test_a_change_made_meanwhile_is_not_overwritten(app, login, opd):
    client = login("admin")
    set_predikat(app, opd, "baik")
    html = client.get(page_url(opd)).get_data(as_text=True)
    seen = re.search(r'name="ditetapkan" type="hidden" value="([^"]*)"', html).group(1)
    assert seen
    post_predikat(login("admin"), opd, "istimewa")
    late = post_predikat(client, opd, "kurang", ditetapkan=seen)
    assert late.status_code == 302
    assert stored_predikat(app, opd) == "istimewa"


def test_a_second_penetapan_from_a_form_that_saw_none_is_refused(app, login, opd):
    set_predikat(app, opd, "baik")
    response = post_predikat(login("admin"), opd, "kurang", ditetapkan="")
    assert response.status_code == 302
    assert stored_predikat(app, opd) == "baik"


def test_pimpinan_sees_the_predikat_organisasi_as_given_without_a_form(app, login, opd):
    set_predikat(app, opd, "butuh_perbaikan")
    html = login(opd.pimpinan).get(page_url(opd)).get_data(as_text=True)
    assert 'id="predikat-organisasi" data-predikat="butuh_perbaikan"' in html
    assert f'<span id="nomor-penetapan">{NOMOR}</span>' in html
    assert "form-predikat-organisasi" not in html
    assert "/kurva/tetapkan" not in html
    assert 'name="nomor_penetapan"' not in html
    # The what-if still starts from the predikat as given.
    assert re.search(r'<option value="butuh_perbaikan" selected>', html)


def test_admin_gets_the_form_with_the_recorded_decree_number(app, login, opd):
    set_predikat(app, opd, "baik")
    html = login("admin").get(page_url(opd)).get_data(as_text=True)
    assert 'id="form-predikat-organisasi"' in html
    assert re.search(rf'name="nomor_penetapan"[^>]*value="{re.escape(NOMOR)}"', html)


def test_pimpinan_cannot_set_the_predikat_organisasi_of_their_own_opd(app, login, opd):
    set_predikat(app, opd, "baik")
    before = row_counts(app)
    response = post_predikat(login(opd.pimpinan), opd, "istimewa", nomor_penetapan="SENDIRI")
    assert response.status_code == 403
    assert stored(app, opd) == ("baik", NOMOR)
    assert row_counts(app) == before


def test_the_use_case_refuses_anyone_but_admin_bkpsdm(app, opd):
    """The rule is the service's, whatever page or resource calls it (403)."""
    from app.domain.errors import NotYourRole
    from app.services import kurva

    for viewer in (viewer_of_pimpinan(app, opd), viewer_of(app, opd.atasan)):
        with app.test_request_context(), pytest.raises(NotYourRole) as refused:
            kurva.tetapkan(db.session, viewer, opd.id, opd.tahunan, "istimewa", NOMOR)
        assert (refused.value.status, refused.value.message) == (403, kurva.ONLY_ADMIN)


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
    set_predikat(app, opd, "butuh_perbaikan")
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
    set_predikat(app, opd, "butuh_perbaikan")
    justify(client, opd, "Alasan untuk butuh perbaikan")
    set_predikat(app, opd, "sangat_kurang")
    html = client.get(page_url(opd)).get_data(as_text=True)
    assert 'id="kurva-peringatan"' in html
    assert 'id="kurva-sudah-dijustifikasi"' not in html


def test_justification_is_refused_when_nothing_is_breached(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(app, opd, "baik")
    before = len(justifications(app, opd))
    assert justify(client, opd, "Tidak perlu").status_code == 302
    assert len(justifications(app, opd)) == before


@pytest.mark.parametrize("alasan", ["", "   ", "x" * 5001])
def test_justification_must_be_written_and_at_most_5000_characters(app, login, opd, alasan):
    client = login(opd.pimpinan)
    set_predikat(app, opd, "butuh_perbaikan")
    before = len(justifications(app, opd))
    assert justify(client, opd, alasan).status_code == 302
    assert len(justifications(app, opd)) == before


def test_a_justification_of_5000_characters_is_kept_whole(app, login, opd):
    client = login(opd.pimpinan)
    set_predikat(app, opd, "butuh_perbaikan")
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
        # Recording the predikat organisasi is admin BKPSDM's, for any OPD.
        assert client.post("/kurva/tetapkan", data={**data, "predikat": "baik"}).status_code == 403
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
    assert post_predikat(client, opd, "sangat_kurang", opd.tw1).status_code == 302
    assert stored(app, opd, opd.tw1) == ("sangat_kurang", NOMOR)


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
    set_predikat(app, opd, "butuh_perbaikan")
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
        with app.app_context(), statements(app) as seen:
            html = client.get(page_url(opd, unit_id=unit_id)).get_data(as_text=True)
        costs[name] = (len(seen), html.count("kurva-pilihan"))
    assert costs["big"][1] > costs["small"][1]
    assert costs["big"][0] == costs["small"][0]
