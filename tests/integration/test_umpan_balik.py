"""Dialog kinerja (umpan balik berkelanjutan): the pegawai and their pejabat penilai write on
the SKP, per topic; whoever else has the SKP in scope reads; nobody edits or deletes; the
other party is notified. Through the pages and /api/v1/umpan_balik/ alike."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.conftest import pegawai_id, statements
from tests.factories import Chain, chain_with_submitted_skps, skp_with_rhk


@dataclass(frozen=True)
class Dialog:
    people: Chain
    pimpinan: str  # head of the OPD the chain works in
    skp_id: int
    indikator_id: int


def _indikator_of(app, rhk_id: int) -> int:
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    with app.app_context():
        return db.session.execute(
            select(IndikatorKinerja.id).where(IndikatorKinerja.rencana_hasil_kerja_id == rhk_id)
        ).scalar_one()


def _head_of_opd(app, opd_kode: str) -> str:
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    with app.app_context():
        return db.session.execute(
            select(Pegawai.nip)
            .join(UnitKerja, UnitKerja.kepala_id == Pegawai.id)
            .where(UnitKerja.kode == opd_kode)
        ).scalar_one()


@pytest.fixture()
def dialog(app) -> Dialog:
    """A fresh chain in BAPPEDA; the staff member has a draft SKP with one indikator."""
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_id, rhk_id = skp_with_rhk(app, people.staff, "Laporan tersusun", intervensi_id=atasan_rhk)
    return Dialog(people, _head_of_opd(app, "BAPPEDA"), skp_id, _indikator_of(app, rhk_id))


def messages(app, skp_id: int) -> list[tuple[int, str]]:
    from app.extensions import db
    from app.models.monitoring import UmpanBalik

    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(UmpanBalik.penulis_id, UmpanBalik.pesan)
                .where(UmpanBalik.skp_id == skp_id)
                .order_by(UmpanBalik.id)
            )
        ]


def notices(app, nip: str, jenis: str = "umpan_balik") -> list[str]:
    from app.extensions import db
    from app.models.monitoring import Notifikasi

    with app.app_context():
        return list(
            db.session.execute(
                select(Notifikasi.tautan).where(
                    Notifikasi.penerima_id == pegawai_id(app, nip), Notifikasi.jenis == jenis
                )
            ).scalars()
        )


def write(client, skp_id: int, pesan: str, topik: str = "umum", periode_id: str = ""):
    return client.post(
        f"/umpan-balik/{skp_id}/tulis",
        data={"topik": topik, "periode_id": periode_id, "pesan": pesan},
    )


# --- the page ---------------------------------------------------------------------------


def test_owner_and_penilai_write_and_both_read_the_thread_by_topic(app, login, dialog):
    staff, atasan = login(dialog.people.staff), login(dialog.people.atasan)

    first = write(staff, dialog.skp_id, "Mohon arahan target triwulan ini.")
    second = write(
        atasan, dialog.skp_id, "Fokus pada kualitas laporan.", f"indikator-{dialog.indikator_id}"
    )
    third = write(atasan, dialog.skp_id, "Pelayanan sudah baik.", "perilaku-1")

    assert first.status_code == second.status_code == third.status_code == 302
    assert second.headers["Location"].endswith(f"#topik-indikator-{dialog.indikator_id}")
    for client in (staff, atasan):
        html = client.get(f"/umpan-balik/{dialog.skp_id}").get_data(as_text=True)
        assert 'id="topik-umum"' in html
        assert f'id="topik-indikator-{dialog.indikator_id}"' in html
        assert 'id="topik-perilaku-1"' in html
        for text in ("Mohon arahan target triwulan ini.", "Fokus pada kualitas laporan."):
            assert text in html
        assert "Staf Uji" in html and "Kabid Uji" in html
        assert 'id="form-umpan-balik"' in html
    assert [author for author, _ in messages(app, dialog.skp_id)] == [
        pegawai_id(app, dialog.people.staff),
        pegawai_id(app, dialog.people.atasan),
        pegawai_id(app, dialog.people.atasan),
    ]


def test_skp_page_links_to_its_dialog(login, dialog):
    html = login(dialog.people.staff).get(f"/skp/{dialog.skp_id}").get_data(as_text=True)

    assert f'href="/umpan-balik/{dialog.skp_id}"' in html


def test_message_may_name_an_evaluation_period_of_the_skp_year(app, login, dialog):
    from app.extensions import db
    from app.models.master import Periode
    from app.models.monitoring import UmpanBalik
    from app.models.skp import Skp

    with app.app_context():
        tahun = db.session.get(Skp, dialog.skp_id).periode.tahun
        tw1 = db.session.execute(
            select(Periode.id).where(Periode.tahun == tahun, Periode.jenis == "tw1")
        ).scalar_one()

    response = write(
        login(dialog.people.staff), dialog.skp_id, "Capaian TW I.", periode_id=str(tw1)
    )

    assert response.status_code == 302
    with app.app_context():
        saved = db.session.execute(
            select(UmpanBalik.periode_id).where(UmpanBalik.skp_id == dialog.skp_id)
        ).scalar_one()
    assert saved == tw1


@pytest.mark.parametrize("who", ["colleague", "boss"])
def test_colleague_and_the_atasans_atasan_get_404(app, login, dialog, who):
    client = login(getattr(dialog.people, who))

    assert client.get(f"/umpan-balik/{dialog.skp_id}").status_code == 404
    assert write(client, dialog.skp_id, "Boleh ikut?").status_code == 404
    assert messages(app, dialog.skp_id) == []


def test_atasan_of_another_opd_gets_404(app, login, cast, dialog):
    client = login(cast.outsider_atasan)

    assert client.get(f"/umpan-balik/{dialog.skp_id}").status_code == 404
    assert write(client, dialog.skp_id, "Dari OPD lain.").status_code == 404
    assert messages(app, dialog.skp_id) == []


def test_pimpinan_reads_the_dialog_but_cannot_write(app, login, dialog):
    write(login(dialog.people.staff), dialog.skp_id, "Catatan untuk atasan.")
    client = login(dialog.pimpinan)

    page = client.get(f"/umpan-balik/{dialog.skp_id}")
    refused = write(client, dialog.skp_id, "Dari pimpinan.")

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Catatan untuk atasan." in html
    assert 'id="dialog-hanya-baca"' in html and 'id="form-umpan-balik"' not in html
    assert refused.status_code == 403
    assert [pesan for _, pesan in messages(app, dialog.skp_id)] == ["Catatan untuk atasan."]


def test_admin_reads_the_dialog(login, cast, dialog):
    write(login(dialog.people.atasan), dialog.skp_id, "Dicatat admin.")

    page = login(cast.admin).get(f"/umpan-balik/{dialog.skp_id}")

    assert page.status_code == 200 and "Dicatat admin." in page.get_data(as_text=True)


def test_empty_message_is_refused_on_its_field(app, login, dialog):
    client = login(dialog.people.staff)

    response = write(client, dialog.skp_id, "   ")

    assert response.status_code == 422
    assert 'data-field-error="pesan"' in response.get_data(as_text=True)
    assert messages(app, dialog.skp_id) == []


def test_a_refused_message_keeps_what_was_typed(app, login, dialog):
    client = login(dialog.people.staff)

    response = write(client, dialog.skp_id, "x" * 5001)

    assert response.status_code == 422
    assert "x" * 5001 + "</textarea>" in response.get_data(as_text=True)
    assert messages(app, dialog.skp_id) == []


def test_writing_notifies_the_other_party_only(app, login, dialog):
    write(login(dialog.people.staff), dialog.skp_id, "Pertanyaan untuk atasan.")

    assert notices(app, dialog.people.atasan) == [f"/umpan-balik/{dialog.skp_id}#topik-umum"]
    assert notices(app, dialog.people.staff) == []

    write(login(dialog.people.atasan), dialog.skp_id, "Jawaban.", "perilaku-2")

    assert notices(app, dialog.people.staff) == [f"/umpan-balik/{dialog.skp_id}#topik-perilaku-2"]
    assert len(notices(app, dialog.people.atasan)) == 1


# --- the REST API -----------------------------------------------------------------------


def test_api_author_is_the_tokens_user_never_the_body(app, api, dialog):
    client, headers = api(dialog.people.staff)
    someone_else = pegawai_id(app, dialog.people.atasan)

    response = client.post(
        "/api/v1/umpan_balik/",
        json={"skp_id": dialog.skp_id, "pesan": "Lewat API.", "penulis_id": someone_else},
        headers=headers,
    )

    body = response.get_json()
    assert response.status_code == 201, body
    assert body["result"]["penulis_id"] == pegawai_id(app, dialog.people.staff)
    assert messages(app, dialog.skp_id) == [(pegawai_id(app, dialog.people.staff), "Lewat API.")]
    assert len(notices(app, dialog.people.atasan)) == 1


def test_api_penilai_writes_about_an_indikator_and_both_list_it(api, dialog):
    client, headers = api(dialog.people.atasan)
    response = client.post(
        "/api/v1/umpan_balik/",
        json={
            "skp_id": dialog.skp_id,
            "indikator_kinerja_id": dialog.indikator_id,
            "pesan": "Target realistis.",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()

    for nip in (dialog.people.staff, dialog.people.atasan, dialog.pimpinan):
        client, headers = api(nip)
        listing = client.get(
            f"/api/v1/umpan_balik/?q=(filters:!((col:skp_id,opr:eq,value:{dialog.skp_id})))",
            headers=headers,
        ).get_json()
        assert listing["count"] == 1
        assert listing["result"][0]["indikator_kinerja_id"] == dialog.indikator_id


def test_api_hides_the_dialog_outside_the_scope(api, cast, dialog):
    client, headers = api(dialog.people.staff)
    created = client.post(
        "/api/v1/umpan_balik/", json={"skp_id": dialog.skp_id, "pesan": "Privat."}, headers=headers
    ).get_json()["id"]

    for nip in (dialog.people.colleague, cast.outsider_atasan):
        client, headers = api(nip)
        assert client.get(f"/api/v1/umpan_balik/{created}", headers=headers).status_code == 404
        listing = client.get(
            f"/api/v1/umpan_balik/?q=(filters:!((col:skp_id,opr:eq,value:{dialog.skp_id})))",
            headers=headers,
        ).get_json()
        assert listing["count"] == 0
        refused = client.post(
            "/api/v1/umpan_balik/",
            json={"skp_id": dialog.skp_id, "pesan": "Ikut."},
            headers=headers,
        )
        assert refused.status_code == 404
        assert "message" in refused.get_json()


def test_api_pimpinan_cannot_write_403(app, api, dialog):
    client, headers = api(dialog.pimpinan)

    response = client.post(
        "/api/v1/umpan_balik/", json={"skp_id": dialog.skp_id, "pesan": "Arahan."}, headers=headers
    )

    assert response.status_code == 403
    assert response.get_json()["message"]
    assert messages(app, dialog.skp_id) == []


def test_api_message_longer_than_5000_characters_is_422(app, api, dialog):
    client, headers = api(dialog.people.staff)

    too_long = client.post(
        "/api/v1/umpan_balik/", json={"skp_id": dialog.skp_id, "pesan": "x" * 5001}, headers=headers
    )
    longest = client.post(
        "/api/v1/umpan_balik/", json={"skp_id": dialog.skp_id, "pesan": "x" * 5000}, headers=headers
    )

    assert too_long.status_code == 422
    assert too_long.get_json()["field"] == "pesan"
    assert "5000" in too_long.get_json()["message"]
    assert longest.status_code == 201
    assert len(messages(app, dialog.skp_id)) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"indikator_kinerja_id": -1}, "indikator_kinerja_id"),
        ({"perilaku_nilai": 8}, "perilaku_nilai"),
        ({"pesan": ""}, "pesan"),
    ],
)
def test_api_refuses_a_bad_topic_or_an_empty_message(api, dialog, body, field):
    client, headers = api(dialog.people.staff)

    response = client.post(
        "/api/v1/umpan_balik/",
        json={"skp_id": dialog.skp_id, "pesan": "Isi.", **body},
        headers=headers,
    )

    assert response.status_code == 422
    assert response.get_json()["field"] == field


def test_api_indikator_of_another_skp_is_refused(app, api, dialog):
    _, other_rhk = skp_with_rhk(app, dialog.people.colleague, "RHK rekan")
    client, headers = api(dialog.people.staff)

    response = client.post(
        "/api/v1/umpan_balik/",
        json={
            "skp_id": dialog.skp_id,
            "indikator_kinerja_id": _indikator_of(app, other_rhk),
            "pesan": "Salah topik.",
        },
        headers=headers,
    )

    assert response.status_code == 422
    assert response.get_json()["field"] == "indikator_kinerja_id"


def test_api_messages_are_never_edited_or_deleted(app, api, dialog):
    client, headers = api(dialog.people.staff)
    created = client.post(
        "/api/v1/umpan_balik/", json={"skp_id": dialog.skp_id, "pesan": "Tetap."}, headers=headers
    ).get_json()["id"]

    put = client.put(f"/api/v1/umpan_balik/{created}", json={"pesan": "Diubah."}, headers=headers)
    delete = client.delete(f"/api/v1/umpan_balik/{created}", headers=headers)

    assert put.status_code == 405 and delete.status_code == 405
    assert [pesan for _, pesan in messages(app, dialog.skp_id)] == ["Tetap."]


def test_dialog_page_costs_the_same_queries_however_long_the_thread(app, login, dialog):
    staff, atasan = login(dialog.people.staff), login(dialog.people.atasan)
    write(staff, dialog.skp_id, "Pertama.")
    write(atasan, dialog.skp_id, "Kedua.", f"indikator-{dialog.indikator_id}")
    staff.get(f"/umpan-balik/{dialog.skp_id}")  # warm the caches a first request fills
    with statements(app) as few:
        staff.get(f"/umpan-balik/{dialog.skp_id}")
    for n in range(10):
        write(staff if n % 2 else atasan, dialog.skp_id, f"Pesan {n}.", f"perilaku-{n % 7 + 1}")
    with statements(app) as many:
        html = staff.get(f"/umpan-balik/{dialog.skp_id}").get_data(as_text=True)

    assert "Pesan 9." in html
    assert len(many) == len(few)
