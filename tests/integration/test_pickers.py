"""Search-as-you-type pickers: forms carry only the chosen row, and the JSON the picker asks
as the user types is paged, searchable by NIP or name (code or name for units) and inside the
viewer's scope — the same rows the viewer's list shows, never a way to enumerate others."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sqlalchemy import or_, select

from app.extensions import db
from app.models.master import Jabatan, Pegawai, UnitKerja
from app.services.lookup import PAGE_SIZE
from tests.conftest import pegawai_id
from tests.factories import new_chain


def pick(client, source: str, term: str = "", page: int = 1) -> dict:  # noqa: ANN001
    response = client.get(f"/{source}/pilih?q={quote(term)}&page={page}")
    assert response.status_code == 200, response.status_code
    return response.get_json()


def every_id(client, source: str, term: str = "") -> list[int]:  # noqa: ANN001
    """The ids the picker offers for ``term``, over all its pages."""
    ids, page = [], 1
    while True:
        found = pick(client, source, term, page)
        ids += [row["id"] for row in found["results"]]
        if not found["pagination"]["more"]:
            return ids
        page += 1


def read(app, query):  # noqa: ANN001, ANN201
    with app.app_context():
        return query(db.session)


@pytest.fixture()
def admin(login):  # noqa: ANN001, ANN201
    return login("admin")


# --- scope --------------------------------------------------------------------------------


def test_a_pegawai_picks_only_themselves(app, login):
    people = new_chain(app)
    assert every_id(login(people.staff), "pegawaiview") == [pegawai_id(app, people.staff)]


def test_an_atasan_picks_themselves_and_their_staff(app, login):
    people = new_chain(app)
    expected = {pegawai_id(app, nip) for nip in (people.atasan, people.staff, people.colleague)}
    assert set(every_id(login(people.atasan), "pegawaiview")) == expected


def test_a_pimpinan_picks_their_whole_opd_and_no_one_outside(app, login, cast):
    client = login(cast.pimpinan)
    assert pegawai_id(app, cast.staff) in every_id(client, "pegawaiview", cast.staff)
    assert every_id(client, "pegawaiview", cast.outsider) == []


def test_admin_picks_from_every_pegawai(app, admin):
    total = read(app, lambda s: s.execute(select(db.func.count(Pegawai.id))).scalar())
    assert len(set(every_id(admin, "pegawaiview"))) == total


def test_only_admin_picks_user_accounts(login, cast):
    assert login(cast.staff).get("/users/pilih?q=").status_code == 403
    assert pick(login("admin"), "users", "admin")["results"][0]["text"].startswith("admin")


def test_signed_out_nobody_picks(app):
    assert app.test_client().get("/pegawaiview/pilih?q=").status_code == 401


# --- paging and search ----------------------------------------------------------------------


def test_the_picker_answers_twenty_at_a_time_without_overlap(admin):
    first, second = pick(admin, "pegawaiview", page=1), pick(admin, "pegawaiview", page=2)
    assert len(first["results"]) == PAGE_SIZE and first["pagination"]["more"]
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}


def test_the_picker_finds_a_pegawai_by_part_of_the_nip(app, admin, cast):
    found = pick(admin, "pegawaiview", cast.outsider[-10:])["results"]
    assert pegawai_id(app, cast.outsider) in [row["id"] for row in found]


def test_the_picker_finds_a_pegawai_by_name_in_any_case(app, admin, cast):
    nama = read(app, lambda s: s.execute(select(Pegawai.nama).filter_by(nip=cast.staff)).scalar())
    found = every_id(admin, "pegawaiview", nama.upper())
    assert pegawai_id(app, cast.staff) in found
    expected = read(
        app, lambda s: set(s.execute(select(Pegawai.id).where(Pegawai.nama.ilike(nama))).scalars())
    )
    assert expected <= set(found)


def test_the_picker_takes_wildcards_literally(admin):
    assert pick(admin, "pegawaiview", "%")["results"] == []
    assert pick(admin, "pegawaiview", "_")["results"] == []


def test_the_unit_picker_finds_a_unit_by_code_or_name(app, admin):
    dinkes = read(app, lambda s: s.execute(select(UnitKerja).filter_by(kode="DINKES")).scalar_one())
    by_code = pick(admin, "unitkerjaview", "dinkes")["results"]
    assert dinkes.id in [row["id"] for row in by_code]
    assert "Dinas Kesehatan" in {row["id"]: row["text"] for row in by_code}[dinkes.id]
    by_name = every_id(admin, "unitkerjaview", "dinas kesehatan")
    below = read(
        app,
        lambda s: set(
            s.execute(
                select(UnitKerja.id).where(
                    or_(
                        UnitKerja.nama.ilike("%dinas kesehatan%"),
                        UnitKerja.kode.ilike("%dinas kesehatan%"),
                    )
                )
            ).scalars()
        ),
    )
    assert set(by_name) == below


def test_the_jabatan_picker_finds_a_position_by_name(app, admin):
    nama = read(
        app, lambda s: s.execute(select(Jabatan.nama).order_by(Jabatan.id)).scalars().first()
    )
    assert nama in [row["text"] for row in pick(admin, "jabatanview", nama.lower())["results"]]


# --- the forms ------------------------------------------------------------------------------


def picker_html(html: str, field: str) -> str:
    found = re.search(rf'<select[^>]*\bid="{field}"[^>]*>.*?</select>', html, re.S)
    assert found, f"no picker {field!r}"
    return found.group(0)


def test_the_pegawai_form_offers_no_pegawai_to_choose_from(admin):
    html = admin.get("/pegawaiview/add").get_data(as_text=True)
    for field in ("jabatan", "unit_kerja", "atasan", "pejabat_penilai", "user"):
        assert picker_html(html, field).count("<option") == 1  # the empty choice


def test_editing_a_pegawai_shows_the_current_choices_selected(app, admin, cast):
    me = pegawai_id(app, cast.staff)
    row = read(app, lambda s: s.get(Pegawai, me))
    atasan = read(app, lambda s: str(s.get(Pegawai, row.atasan_id)))
    html = admin.get(f"/pegawaiview/edit/{me}").get_data(as_text=True)
    assert f'<option value="{row.atasan_id}" selected>{atasan}</option>' in picker_html(
        html, "atasan"
    )
    assert f'value="{row.unit_kerja_id}" selected' in picker_html(html, "unit_kerja")
    assert f'value="{row.user_id}" selected' in picker_html(html, "user")


def test_a_unit_form_picks_its_parent_and_head(app, admin):
    unit = read(app, lambda s: s.execute(select(UnitKerja).filter_by(kode="DINKES")).scalar_one())
    html = admin.get(f"/unitkerjaview/edit/{unit.id}").get_data(as_text=True)
    assert f'value="{unit.parent_id}" selected' in picker_html(html, "parent")
    assert f'value="{unit.kepala_id}" selected' in picker_html(html, "kepala")


def test_an_unknown_atasan_is_refused_on_its_field_in_indonesian(app, admin, cast):
    me = pegawai_id(app, cast.other_staff)
    row = read(app, lambda s: s.get(Pegawai, me))
    form = {
        "nip": row.nip,
        "nama": row.nama,
        "jenis_asn": row.jenis_asn,
        "jenis_kelamin": row.jenis_kelamin or "",
        "tanggal_lahir": row.tanggal_lahir.isoformat() if row.tanggal_lahir else "",
        "unit_kerja": str(row.unit_kerja_id),
        "atasan": "999999999",
        "aktif": "y",
    }
    response = admin.post(f"/pegawaiview/edit/{me}", data=form)
    assert response.status_code == 200
    assert "Pilihan tidak valid." in re.search(
        r'id="atasan".*?</td>', response.get_data(as_text=True), re.S
    ).group(0)
    assert read(app, lambda s: s.get(Pegawai, me).atasan_id) == row.atasan_id


def test_a_pegawai_needs_a_unit(app, admin):
    response = admin.post(
        "/pegawaiview/add", data={"nip": "x", "nama": "Tanpa Unit", "unit_kerja": ""}
    )
    assert response.status_code == 200
    cell = re.search(r'id="unit_kerja".*?</td>', response.get_data(as_text=True), re.S).group(0)
    assert "alert-danger" in cell
    assert "This field is required" not in cell


def test_a_list_filter_on_a_unit_shows_the_unit_it_filters_by(app, admin):
    unit = read(app, lambda s: s.execute(select(UnitKerja).filter_by(kode="DINKES")).scalar_one())
    html = admin.get(f"/pegawaiview/list/?_flt_0_unit_kerja={unit.id}").get_data(as_text=True)
    filters = html[html.index("new AdminFilters") :]
    assert f'\\u003coption value=\\"{unit.id}\\"\\u003e' in filters
    assert filters.count("\\u003coption") == 2 + 1  # unit: empty + the filtered one; jabatan: empty
