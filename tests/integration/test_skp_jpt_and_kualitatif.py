"""The JPT SKP form and the kualitatif approach (DOMAIN.md, Organisation realities), through the
REST API and the pages alike.

JPT: the SKP of a pegawai in a JPT jabatan takes ``model`` jpt; each RHK needs one of the four
perspektif and each indikator its manual indikator (definisi, formula, sumber data, periode
pelaporan); the page, the print view and the .xlsx list the RHK per perspektif with the manual.
Kualitatif: the target in words (``target_uraian``), the realisasi in words (``catatan``), no
capaian ("—" on the page, null in the API), and the periode can still be submitted."""

from __future__ import annotations

import html
import io
import re

import openpyxl
import pytest
from flask_babel import gettext
from sqlalchemy import select

from app.domain.enums import MANUAL_INDIKATOR, PERSPEKTIF
from tests.factories import MANUAL_JPT, chain_with_submitted_skps, new_chain, viewer_of

MANUAL = {**MANUAL_JPT, "tujuan": "Mengukur ketepatan perencanaan", "jenis": "outcome"}


def said(app, msgid: str, **params) -> str:  # noqa: ANN001
    """What the user reads for ``msgid`` (Indonesian by default)."""
    with app.test_request_context():
        return gettext(msgid, **{k: gettext(v) for k, v in params.items()})


def text_of(response) -> str:  # noqa: ANN001
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture()
def active_year(app) -> int:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Periode

    with app.app_context():
        return db.session.execute(
            select(Periode.id).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()


def post(client, headers, path: str, body: dict):  # noqa: ANN001, ANN201
    return client.post(path, json=body, headers=headers)


def refusal(response) -> tuple[int, str | None]:  # noqa: ANN001
    return response.status_code, (response.get_json() or {}).get("field")


def evaluations(app, skp_id: int) -> dict[str, tuple[int, int]]:  # noqa: ANN001
    """periode jenis → (penilaian id, periode id) of an approved SKP."""
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian

    with app.app_context():
        rows = db.session.execute(
            select(Periode.jenis, Penilaian.id, Periode.id)
            .join(Penilaian, Penilaian.periode_id == Periode.id)
            .where(Penilaian.skp_id == skp_id)
        ).all()
    return {jenis: (penilaian, periode) for jenis, penilaian, periode in rows}


# --- the JPT form through the API ---------------------------------------------------------


@pytest.fixture()
def jpt(app, api, active_year):  # noqa: ANN001, ANN201
    """The boss of a fresh chain (a JPT) with a draft SKP made through the API."""
    people = new_chain(app)
    client, headers = api(people.boss)
    created = post(client, headers, "/api/v1/skp/", {"periode_id": active_year})
    assert created.status_code == 201, created.get_json()
    return people, client, headers, created.get_json()


def jpt_rhk(client, headers, skp_id: int, **given) -> int:  # noqa: ANN001
    body = {
        "skp_id": skp_id,
        "jenis": "utama",
        "uraian": "Kualitas perencanaan daerah meningkat",
        "penugasan_dari": "Perjanjian Kinerja Wali Kota Dumai",
        "perspektif": "proses_bisnis",
        **given,
    }
    response = post(client, headers, "/api/v1/rencana_hasil_kerja/", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def indikator_body(rhk_id: int, **given) -> dict:
    return {
        "rencana_hasil_kerja_id": rhk_id,
        "aspek": "kualitas",
        "uraian": "Persentase dokumen perencanaan tepat waktu",
        "target": 100,
        "satuan": "%",
        **given,
    }


def test_the_skp_of_a_jpt_takes_the_jpt_model_and_others_the_non_jpt_model(app, api, jpt):
    people, client, headers, created = jpt
    assert created["result"]["model"] == "jpt"
    shown = client.get(f"/api/v1/skp/{created['id']}", headers=headers).get_json()["result"]
    assert shown["model"] == "jpt"

    staff, staff_headers = api(people.staff)
    own = post(
        staff, staff_headers, "/api/v1/skp/", {"periode_id": created["result"]["periode_id"]}
    )
    assert own.get_json()["result"]["model"] == "non_jpt"


def test_the_model_is_read_only(jpt):
    _, client, headers, created = jpt
    changed = client.put(f"/api/v1/skp/{created['id']}", json={"model": "non_jpt"}, headers=headers)
    assert changed.status_code == 422
    shown = client.get(f"/api/v1/skp/{created['id']}", headers=headers).get_json()["result"]
    assert shown["model"] == "jpt"


@pytest.mark.parametrize("perspektif", [None, "", "keuangan"])
def test_a_jpt_rhk_without_a_valid_perspektif_is_refused_on_perspektif(jpt, perspektif):
    _, client, headers, created = jpt
    body = {
        "skp_id": created["id"],
        "jenis": "utama",
        "uraian": "Kualitas perencanaan",
        "penugasan_dari": "Wali Kota",
    }
    if perspektif is not None:
        body["perspektif"] = perspektif
    response = post(client, headers, "/api/v1/rencana_hasil_kerja/", body)
    assert refusal(response) == (422, "perspektif")


def test_a_jpt_rhk_shows_and_changes_its_perspektif(jpt):
    _, client, headers, created = jpt
    rhk_id = jpt_rhk(client, headers, created["id"], perspektif="penerima_layanan")
    path = f"/api/v1/rencana_hasil_kerja/{rhk_id}"
    assert client.get(path, headers=headers).get_json()["result"]["perspektif"] == (
        "penerima_layanan"
    )
    assert client.put(path, json={"perspektif": "anggaran"}, headers=headers).status_code == 200
    assert client.get(path, headers=headers).get_json()["result"]["perspektif"] == "anggaran"
    assert refusal(client.put(path, json={"perspektif": None}, headers=headers)) == (
        422,
        "perspektif",
    )


@pytest.mark.parametrize(
    ("manual", "field"),
    [
        (None, "manual_indikator.definisi"),
        ({**MANUAL, "formula": ""}, "manual_indikator.formula"),
        ({**MANUAL, "sumber_data": "  "}, "manual_indikator.sumber_data"),
        ({**MANUAL, "periode_pelaporan": "harian"}, "manual_indikator.periode_pelaporan"),
        ({**MANUAL, "jenis": "input"}, "manual_indikator.jenis"),
        ({**MANUAL, "definisi": "x" * 5001}, "manual_indikator.definisi"),
        ("definisi", "manual_indikator"),
    ],
)
def test_a_jpt_indikator_without_a_complete_manual_is_refused_on_its_field(jpt, manual, field):
    _, client, headers, created = jpt
    rhk_id = jpt_rhk(client, headers, created["id"])
    body = indikator_body(rhk_id)
    if manual is not None:
        body["manual_indikator"] = manual
    response = post(client, headers, "/api/v1/indikator_kinerja/", body)
    assert refusal(response) == (422, field)


def test_a_jpt_indikator_shows_and_replaces_its_manual(jpt):
    _, client, headers, created = jpt
    rhk_id = jpt_rhk(client, headers, created["id"])
    response = post(
        client,
        headers,
        "/api/v1/indikator_kinerja/",
        indikator_body(rhk_id, manual_indikator=MANUAL),
    )
    assert response.status_code == 201, response.get_json()
    path = f"/api/v1/indikator_kinerja/{response.get_json()['id']}"
    assert client.get(path, headers=headers).get_json()["result"]["manual_indikator"] == MANUAL

    changed = client.put(path, json={"manual_indikator": MANUAL_JPT}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    assert client.get(path, headers=headers).get_json()["result"]["manual_indikator"] == (
        MANUAL_JPT
    )
    incomplete = {k: v for k, v in MANUAL_JPT.items() if k != "formula"}
    refused = client.put(path, json={"manual_indikator": incomplete}, headers=headers)
    assert refusal(refused) == (422, "manual_indikator.formula")


def test_a_non_jpt_skp_takes_neither_perspektif_nor_manual(app, api, active_year):
    people, atasan_rhk = chain_with_submitted_skps(app)
    client, headers = api(people.staff)
    skp_id = post(client, headers, "/api/v1/skp/", {"periode_id": active_year}).get_json()["id"]
    body = {"skp_id": skp_id, "jenis": "utama", "uraian": "Arsip", "intervensi_id": atasan_rhk}
    with_perspektif = post(
        client, headers, "/api/v1/rencana_hasil_kerja/", {**body, "perspektif": "anggaran"}
    )
    assert refusal(with_perspektif) == (422, "perspektif")
    rhk_id = post(client, headers, "/api/v1/rencana_hasil_kerja/", body).get_json()["id"]
    with_manual = post(
        client,
        headers,
        "/api/v1/indikator_kinerja/",
        indikator_body(rhk_id, manual_indikator=MANUAL),
    )
    assert refusal(with_manual) == (422, "manual_indikator")


def test_a_jpt_skp_whose_rhk_lost_its_perspektif_is_not_submitted(app, jpt):
    from app.extensions import db
    from app.models.skp import RencanaHasilKerja

    _, client, headers, created = jpt
    rhk_id = jpt_rhk(client, headers, created["id"])
    post(
        client,
        headers,
        "/api/v1/indikator_kinerja/",
        indikator_body(rhk_id, manual_indikator=MANUAL),
    )
    with app.app_context():  # an RHK written before the SKP became a JPT's
        db.session.get(RencanaHasilKerja, rhk_id).perspektif = None
        db.session.commit()
    submitted = post(client, headers, f"/api/v1/skp/{created['id']}/submit", {})
    assert submitted.status_code == 422
    assert submitted.get_json()["message"] == said(
        app,
        "Work result plan '%(rhk)s' has no perspective.",
        rhk="Kualitas perencanaan daerah meningkat",
    )


def test_a_revision_keeps_the_jpt_form_its_perspektif_and_manual(app, jpt):
    from app.extensions import db
    from app.models.master import Pegawai
    from app.models.skp import Skp
    from app.services import skp as skp_service

    people, client, headers, created = jpt
    rhk_id = jpt_rhk(client, headers, created["id"], perspektif="anggaran")
    post(
        client,
        headers,
        "/api/v1/indikator_kinerja/",
        indikator_body(rhk_id, manual_indikator=MANUAL),
    )
    assert post(client, headers, f"/api/v1/skp/{created['id']}/submit", {}).status_code == 200
    with app.test_request_context():
        boss = db.session.execute(select(Pegawai).where(Pegawai.nip == people.boss)).scalar_one()
        penilai = db.session.get(Pegawai, boss.penilai_id)
        skp_service.approve(db.session, created["id"], viewer_of(app, penilai.nip))
        revision = skp_service.revise(db.session, created["id"], viewer_of(app, people.boss))
        db.session.commit()
        revision = db.session.get(Skp, revision.id)
        rhk = revision.rencana_hasil_kerja[0]
        assert (revision.model, rhk.perspektif) == ("jpt", "anggaran")
        assert rhk.indikator[0].manual_indikator == MANUAL


def test_carry_forward_brings_the_perspektif_and_manual_into_a_jpt_skp(app):
    from app.extensions import db
    from app.models.master import Periode
    from app.models.skp import IndikatorKinerja, RencanaHasilKerja, Skp
    from app.services import skp as skp_service

    people = new_chain(app)
    viewer = viewer_of(app, people.boss)
    with app.test_request_context():
        session = db.session
        periode = skp_service.active_year(session)
        last = session.execute(
            select(Periode).where(Periode.tahun == periode.tahun - 1, Periode.jenis == "tahunan")
        ).scalar_one()
        old = Skp(pegawai_id=viewer.pegawai_id, periode_id=last.id, status="disetujui", model="jpt")
        old.rencana_hasil_kerja = [
            RencanaHasilKerja(
                jenis="utama",
                uraian="Anggaran terserap",
                penugasan_dari="Perjanjian Kinerja",
                perspektif="anggaran",
                indikator=[
                    IndikatorKinerja(
                        aspek="biaya",
                        uraian="Realisasi anggaran",
                        target=95,
                        satuan="%",
                        manual_indikator=MANUAL,
                    )
                ],
            )
        ]
        session.add(old)
        session.commit()
        new = skp_service.create_skp(session, viewer, periode.id, carry_forward=True)
        session.commit()
        rhk = new.rencana_hasil_kerja[0]
        assert (new.model, rhk.perspektif, rhk.penugasan_dari) == (
            "jpt",
            "anggaran",
            "Perjanjian Kinerja",
        )
        assert rhk.indikator[0].manual_indikator == MANUAL


# --- the JPT form through the pages, the print view and the .xlsx ---------------------------


def boss_skp_page(app, login):  # noqa: ANN001, ANN201
    people = new_chain(app)
    boss = login(people.boss)
    response = boss.post("/skp/buat", data={"pendekatan": "kuantitatif"})
    assert response.status_code == 302
    skp_id = int(re.search(r"/skp/(\d+)", response.headers["Location"]).group(1))
    return people, boss, skp_id


def rhk_id_of(app, skp_id: int, uraian: str) -> int | None:  # noqa: ANN001
    from app.extensions import db
    from app.models.skp import RencanaHasilKerja

    with app.app_context():
        return db.session.execute(
            select(RencanaHasilKerja.id).where(
                RencanaHasilKerja.skp_id == skp_id, RencanaHasilKerja.uraian == uraian
            )
        ).scalar()


def manual_form(manual: dict) -> dict:
    return {f"manual_indikator.{key}": value for key, value in manual.items()}


def test_the_jpt_page_asks_for_the_perspektif_and_the_manual_and_lists_by_perspektif(app, login):
    _, boss, skp_id = boss_skp_page(app, login)
    page = text_of(boss.get(f"/skp/{skp_id}"))
    assert 'name="perspektif"' in page and 'name="manual_indikator.definisi"' not in page

    rhk = {"jenis": "utama", "uraian": "Layanan perizinan memuaskan", "intervensi_id": ""}
    rhk["penugasan_dari"] = "Perjanjian Kinerja 2026"
    refused = boss.post(f"/skp/{skp_id}/rhk", data=rhk, follow_redirects=True)
    assert said(app, "Choose the perspective of this work result plan.") in text_of(refused)
    assert rhk_id_of(app, skp_id, rhk["uraian"]) is None

    boss.post(f"/skp/{skp_id}/rhk", data={**rhk, "perspektif": "penerima_layanan"})
    rhk_id = rhk_id_of(app, skp_id, rhk["uraian"])
    assert rhk_id is not None
    page = text_of(boss.get(f"/skp/{skp_id}"))
    assert 'name="manual_indikator.definisi"' in page  # the add-indikator form of the JPT

    indikator = {"aspek": "kualitas", "uraian": "Indeks kepuasan", "target": "85", "satuan": "%"}
    without_formula = manual_form({**MANUAL, "formula": ""})
    refused = boss.post(
        f"/skp/rhk/{rhk_id}/indikator", data={**indikator, **without_formula}, follow_redirects=True
    )
    message = said(app, "Fill in the indicator manual: %(item)s.", item=MANUAL_INDIKATOR["formula"])
    assert message in text_of(refused)

    added = boss.post(f"/skp/rhk/{rhk_id}/indikator", data={**indikator, **manual_form(MANUAL)})
    assert added.status_code == 302
    page = text_of(boss.get(f"/skp/{skp_id}"))
    headings = list(re.finditer(r'class="info skp-perspektif"><th colspan="6">([^<]*)<', page))
    labels = [said(app, label) for label in PERSPEKTIF.values()]
    assert [h.group(1).split(": ", 1)[1] for h in headings] == labels * 2  # utama, tambahan
    section = page[headings[0].end() : headings[1].start()]  # penerima layanan
    assert "Layanan perizinan memuaskan" in section and "Indeks kepuasan" in section
    assert MANUAL["definisi"] in page and MANUAL["sumber_data"] in page
    assert said(app, "Quarterly") in page  # the periode pelaporan, by its label


def test_the_jpt_page_changes_the_manual_of_an_indikator(app, login):
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    _, boss, skp_id = boss_skp_page(app, login)
    rhk = {"jenis": "utama", "uraian": "Anggaran efisien", "intervensi_id": ""}
    rhk |= {"penugasan_dari": "Perjanjian Kinerja", "perspektif": "anggaran"}
    boss.post(f"/skp/{skp_id}/rhk", data=rhk)
    rhk_id = rhk_id_of(app, skp_id, "Anggaran efisien")
    indikator = {"aspek": "biaya", "uraian": "Realisasi", "target": "95", "satuan": "%"}
    boss.post(f"/skp/rhk/{rhk_id}/indikator", data={**indikator, **manual_form(MANUAL)})
    with app.app_context():
        indikator_id = db.session.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()

    changed = {
        **MANUAL,
        "definisi": "Serapan anggaran terhadap pagu",
        "periode_pelaporan": "bulanan",
    }
    response = boss.post(
        f"/skp/indikator/{indikator_id}/ubah", data={**indikator, **manual_form(changed)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(IndikatorKinerja, indikator_id).manual_indikator == changed
    assert "Serapan anggaran terhadap pagu" in text_of(boss.get(f"/skp/{skp_id}"))


def jpt_skp_with_one_indikator(app, login):  # noqa: ANN001, ANN201
    people, boss, skp_id = boss_skp_page(app, login)
    rhk = {"jenis": "utama", "uraian": "Proses perizinan ringkas", "intervensi_id": ""}
    rhk |= {"penugasan_dari": "Perjanjian Kinerja", "perspektif": "proses_bisnis"}
    boss.post(f"/skp/{skp_id}/rhk", data=rhk)
    rhk_id = rhk_id_of(app, skp_id, "Proses perizinan ringkas")
    indikator = {"aspek": "waktu", "uraian": "Lama layanan izin", "target": "3", "satuan": "hari"}
    boss.post(f"/skp/rhk/{rhk_id}/indikator", data={**indikator, **manual_form(MANUAL)})
    return people, boss, skp_id


def test_the_print_view_lists_by_perspektif_with_the_manual_as_an_annex(app, login):
    _, boss, skp_id = jpt_skp_with_one_indikator(app, login)
    page = text_of(boss.get(f"/skp/dokumen/{skp_id}/cetak"))
    perspektif = f"{said(app, 'Perspective')}: {said(app, 'Business process')}"
    assert perspektif in page
    assert page.index(perspektif) < page.index("Proses perizinan ringkas")
    annex = page.split(said(app, "PERFORMANCE INDICATOR MANUAL"), 1)[1]
    for text in ("Lama layanan izin", MANUAL["definisi"], MANUAL["formula"], MANUAL["sumber_data"]):
        assert text in annex
    assert said(app, "Quarterly") in annex and said(app, "Outcome") in annex


def test_the_xlsx_lists_by_perspektif_with_the_manual_on_its_own_sheet(app, login):
    _, boss, skp_id = jpt_skp_with_one_indikator(app, login)
    response = boss.get(f"/skp/dokumen/{skp_id}/skp.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    skp_sheet, manual_sheet = book.worksheets
    cells = [c for row in skp_sheet.iter_rows(values_only=True) for c in row if c]
    perspektif = f"{said(app, 'Perspective')}: {said(app, 'Business process')}"
    assert perspektif in cells
    assert cells.index(perspektif) < cells.index("Proses perizinan ringkas")
    rows = list(manual_sheet.iter_rows(values_only=True))
    assert rows[0][5:] == tuple(said(app, label) for label in MANUAL_INDIKATOR.values())
    assert rows[1][1:5] == (
        said(app, "Business process"),
        "Proses perizinan ringkas",
        "Lama layanan izin",
        "3 hari",
    )
    assert MANUAL["definisi"] in rows[1] and said(app, "Quarterly") in rows[1]


def test_a_complete_jpt_skp_is_submitted_from_its_page(app, login):
    from app.extensions import db
    from app.models.skp import Skp

    _, boss, skp_id = jpt_skp_with_one_indikator(app, login)
    with app.app_context():
        version = db.session.get(Skp, skp_id).version_id
    boss.post(f"/skp/{skp_id}/ajukan", data={"version_id": version})
    with app.app_context():
        assert db.session.get(Skp, skp_id).status == "diajukan"


# --- kualitatif -----------------------------------------------------------------------------


@pytest.fixture()
def kualitatif(app, api, active_year):  # noqa: ANN001, ANN201
    """A staff's kualitatif SKP with one indikator whose target is words only, made through
    the API and approved by the atasan."""
    people, atasan_rhk = chain_with_submitted_skps(app)
    client, headers = api(people.staff)
    body = {"periode_id": active_year, "pendekatan": "kualitatif"}
    skp_id = post(client, headers, "/api/v1/skp/", body).get_json()["id"]
    rhk = {"skp_id": skp_id, "jenis": "utama", "uraian": "Laporan", "intervensi_id": atasan_rhk}
    rhk_id = post(client, headers, "/api/v1/rencana_hasil_kerja/", rhk).get_json()["id"]
    words = "Laporan tersusun sesuai standar"
    indikator = {"rencana_hasil_kerja_id": rhk_id, "aspek": "kualitas", "uraian": "Mutu laporan"}
    missing = post(client, headers, "/api/v1/indikator_kinerja/", indikator)
    assert refusal(missing) == (422, "target_uraian")
    created = post(
        client, headers, "/api/v1/indikator_kinerja/", {**indikator, "target_uraian": words}
    )
    assert created.status_code == 201, created.get_json()
    assert (
        created.get_json()["result"]["target"],
        created.get_json()["result"]["target_uraian"],
    ) == (
        None,
        words,
    )
    assert post(client, headers, f"/api/v1/skp/{skp_id}/submit", {}).status_code == 200
    atasan, atasan_headers = api(people.atasan)
    assert post(atasan, atasan_headers, f"/api/v1/skp/{skp_id}/approve", {}).status_code == 200
    return people, client, headers, skp_id, created.get_json()["id"]


def test_a_kuantitatif_indikator_still_needs_a_number(app, api, active_year):
    people, atasan_rhk = chain_with_submitted_skps(app)
    client, headers = api(people.staff)
    skp_id = post(client, headers, "/api/v1/skp/", {"periode_id": active_year}).get_json()["id"]
    rhk = {"skp_id": skp_id, "jenis": "utama", "uraian": "Arsip", "intervensi_id": atasan_rhk}
    rhk_id = post(client, headers, "/api/v1/rencana_hasil_kerja/", rhk).get_json()["id"]
    body = {"rencana_hasil_kerja_id": rhk_id, "aspek": "kualitas", "uraian": "Mutu"}
    body["target_uraian"] = "Sesuai standar"
    assert refusal(post(client, headers, "/api/v1/indikator_kinerja/", body)) == (422, "target")


def test_a_kualitatif_realisasi_in_words_has_no_capaian_and_the_periode_is_submitted(
    app, kualitatif
):
    _, client, headers, skp_id, indikator_id = kualitatif
    periods = evaluations(app, skp_id)
    tw1_penilaian, tw1 = periods["tw1"]
    _, tw2 = periods["tw2"]
    empty = {"indikator_kinerja_id": indikator_id, "periode_id": tw2, "nilai": None, "catatan": " "}
    assert refusal(post(client, headers, "/api/v1/realisasi/", empty)) == (422, "catatan")

    body = {"indikator_kinerja_id": indikator_id, "periode_id": tw1, "nilai": None}
    body["catatan"] = "Laporan triwulan I disahkan kepala bidang"
    created = post(client, headers, "/api/v1/realisasi/", body)
    assert created.status_code == 201, created.get_json()
    shown = client.get(f"/api/v1/realisasi/{created.get_json()['id']}", headers=headers)
    result = shown.get_json()["result"]
    assert (result["nilai"], result["capaian"]) == (None, None)
    listed = client.get("/api/v1/realisasi/", headers=headers).get_json()["result"]
    assert [r["capaian"] for r in listed if r["indikator_kinerja_id"] == indikator_id] == [None]

    submitted = post(client, headers, f"/api/v1/penilaian/{tw1_penilaian}/submit", {})
    assert submitted.status_code == 200, submitted.get_json()
    assert submitted.get_json()["status"] == "diajukan"


def test_a_kualitatif_skp_changed_to_kuantitatif_is_not_submitted_without_numbers(
    app, api, active_year
):
    people, atasan_rhk = chain_with_submitted_skps(app)
    client, headers = api(people.staff)
    body = {"periode_id": active_year, "pendekatan": "kualitatif"}
    skp_id = post(client, headers, "/api/v1/skp/", body).get_json()["id"]
    rhk = {"skp_id": skp_id, "jenis": "utama", "uraian": "Laporan", "intervensi_id": atasan_rhk}
    rhk_id = post(client, headers, "/api/v1/rencana_hasil_kerja/", rhk).get_json()["id"]
    indikator = {"rencana_hasil_kerja_id": rhk_id, "aspek": "kualitas", "uraian": "Mutu"}
    post(client, headers, "/api/v1/indikator_kinerja/", {**indikator, "target_uraian": "Baik"})
    changed = client.put(
        f"/api/v1/skp/{skp_id}", json={"pendekatan": "kuantitatif"}, headers=headers
    )
    assert changed.status_code == 200
    submitted = post(client, headers, f"/api/v1/skp/{skp_id}/submit", {})
    assert submitted.status_code == 422
    assert "Mutu" in submitted.get_json()["message"]


def test_the_kualitatif_pages_take_the_target_and_the_realisasi_in_words(app, login):
    from app.extensions import db
    from app.models.penilaian import Penilaian
    from app.models.skp import IndikatorKinerja
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    staff = login(people.staff)
    created = staff.post("/skp/buat", data={"pendekatan": "kualitatif"})
    skp_id = int(re.search(r"/skp/(\d+)", created.headers["Location"]).group(1))
    rhk = {"jenis": "utama", "uraian": "Rekap layanan", "intervensi_id": str(atasan_rhk)}
    staff.post(f"/skp/{skp_id}/rhk", data={**rhk, "penugasan_dari": ""})
    rhk_id = rhk_id_of(app, skp_id, "Rekap layanan")
    words = "Rekap tersusun rapi dan tepat waktu"
    indikator = {"aspek": "kualitas", "uraian": "Mutu rekap", "target": "", "satuan": ""}
    refused = staff.post(f"/skp/rhk/{rhk_id}/indikator", data=indikator, follow_redirects=True)
    message = "Describe the target in words: this SKP takes the qualitative approach."
    assert said(app, message) in text_of(refused)
    added = staff.post(f"/skp/rhk/{rhk_id}/indikator", data={**indikator, "target_uraian": words})
    assert added.status_code == 302
    page = text_of(staff.get(f"/skp/{skp_id}"))
    assert re.search(r'class="skp-target">\s*' + re.escape(words), page)
    assert words in text_of(staff.get(f"/skp/dokumen/{skp_id}/cetak"))

    with app.test_request_context():
        skp_service.submit(db.session, skp_id, viewer_of(app, people.staff))
        skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
        db.session.commit()
        indikator_id = db.session.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()
    penilaian_id, tw1 = evaluations(app, skp_id)["tw1"]
    url = f"/realisasi/{skp_id}/{tw1}"
    staff.post(f"{url}/indikator/{indikator_id}", data={"nilai": "", "catatan": "Rekap selesai"})
    page = text_of(staff.get(url))
    assert "Rekap selesai" in page and words in page
    assert re.search(r'<td class="realisasi-capaian"[^>]*>\s*—', page)

    staff.post(f"{url}/ajukan", data={"version_id": ""})
    with app.app_context():
        assert db.session.get(Penilaian, penilaian_id).status == "diajukan"
    evaluation = text_of(staff.get(f"/penilaian/{penilaian_id}"))
    assert "Rekap selesai" in evaluation and words in evaluation
