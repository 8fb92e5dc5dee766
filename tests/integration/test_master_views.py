"""Master data pages as admin BKPSDM, through the Flask test client: the pegawai list, forms
that refuse bad input field by field in Indonesian (never a 500, nothing saved), the unit
tree, the active periode, account creation and the link to each record's history."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from sqlalchemy import asc, desc, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models.master import Jabatan, Pangkat, Pegawai, Periode, UnitKerja
from tests.conftest import pegawai_id

_sequence = itertools.count(1)
ROW = re.compile(r'href="/pegawaiview/show/(\d+)"')
NIP_CELL = re.compile(r"<td>\s*(\d{18})\s*</td>")
FIELD_ERROR = r'id="{field}".*?</td>'
ALERT = re.compile(r'<div class="alert alert-danger">\s*(.*?)\s*</div>', re.S)


def fresh_nip(gender: str = "1") -> tuple[str, date]:
    """A valid NIP no demo pegawai can have (demo people are born before 2001)."""
    seq = next(_sequence)
    lahir = date(2001, 1 + seq // 28 % 12, 1 + seq % 28)
    return f"{lahir:%Y%m%d}202001{gender}{seq % 999 + 1:03d}", lahir


def field_errors(html: str, field: str) -> list[str]:
    """The error messages FAB renders under one form field."""
    cell = re.search(FIELD_ERROR.format(field=field), html, re.S)
    assert cell, f"no form field {field!r} on the page"
    return [re.sub(r"\s+", " ", text) for text in ALERT.findall(cell.group(0))]


def assert_indonesian_error(html: str, field: str, english: str) -> None:
    errors = field_errors(html, field)
    assert errors, f"no error shown on {field!r}"
    assert not any(english in text for text in errors), f"untranslated: {errors}"


def read(app, query):  # noqa: ANN001, ANN201
    """Run ``query(session)`` in a fresh app context: what a later request would see."""
    with app.app_context():
        return query(db.session)


def column(app, model: type, attribute: str, **where: object):  # noqa: ANN001, ANN201
    """One column of the row matching ``where`` (None when there is no such row)."""
    query = select(getattr(model, attribute)).filter_by(**where)
    return read(app, lambda session: session.execute(query).scalar_one_or_none())


@pytest.fixture()
def admin(login):  # noqa: ANN001, ANN201
    return login("admin")


@pytest.fixture()
def unit_id(app) -> int:  # noqa: ANN001
    return column(app, UnitKerja, "id", kode="DINKES")


def make_pegawai(app, unit: int, atasan: int | None = None) -> int:  # noqa: ANN001
    nip, lahir = fresh_nip()
    with app.app_context():
        person = Pegawai(
            nip=nip,
            nama=f"Pegawai Uji Isian {nip[-3:]}",
            jenis_asn="pns",
            jenis_kelamin="1",
            tanggal_lahir=lahir,
            unit_kerja_id=unit,
            atasan_id=atasan,
        )
        db.session.add(person)
        db.session.commit()
        return person.id


def form_of(app, pegawai_id: int, **changes: str) -> dict[str, str]:  # noqa: ANN001
    person = read(app, lambda session: session.get(Pegawai, pegawai_id))
    data = {
        "nip": person.nip,
        "nama": person.nama,
        "jenis_asn": person.jenis_asn,
        "jenis_kelamin": person.jenis_kelamin or "",
        "tanggal_lahir": person.tanggal_lahir.isoformat() if person.tanggal_lahir else "",
        "unit_kerja": str(person.unit_kerja_id),
        "atasan": str(person.atasan_id or ""),
        "aktif": "y",
    }
    return {**data, **changes}


def new_pegawai_form(unit: int, **changes: str) -> dict[str, str]:
    nip, lahir = fresh_nip()
    data = {
        "nip": nip,
        "nama": f"Rina Uji Tambah {nip}",
        "jenis_asn": "pns",
        "jenis_kelamin": "1",
        "tanggal_lahir": lahir.isoformat(),
        "unit_kerja": str(unit),
        "aktif": "y",
    }
    return {**data, **changes}


# --- the list ---------------------------------------------------------------------------


def test_admin_lists_pegawai_one_page_at_a_time(admin):
    response = admin.get("/pegawaiview/list/")
    assert response.status_code == 200
    assert len(set(ROW.findall(response.get_data(as_text=True)))) == 25


def test_admin_pages_through_pegawai_without_overlap(admin):
    pages = [
        set(
            ROW.findall(
                admin.get(f"/pegawaiview/list/?psize_PegawaiView=10&page_PegawaiView={n}").get_data(
                    as_text=True
                )
            )
        )
        for n in (0, 1)
    ]
    assert [len(page) for page in pages] == [10, 10]
    assert not pages[0] & pages[1]


def test_admin_sorts_pegawai_by_nip(admin):
    for direction in ("asc", "desc"):
        html = admin.get(
            f"/pegawaiview/list/?_oc_PegawaiView=nip&_od_PegawaiView={direction}"
        ).get_data(as_text=True)
        nips = NIP_CELL.findall(html)
        assert len(nips) == 25
        assert nips == sorted(nips, reverse=direction == "desc")


@pytest.mark.parametrize(
    ("column", "model", "key"),
    [
        ("atasan", Pegawai, "nama"),
        ("unit_kerja", UnitKerja, "nama"),
        ("jabatan", Jabatan, "nama"),
        ("pangkat", Pangkat, "urutan"),  # ranks in the order of the regulation
    ],
)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_admin_sorts_pegawai_by_what_a_related_column_shows(
    admin, app, column, model, key, direction
):
    html = admin.get(
        f"/pegawaiview/list/?_oc_PegawaiView={column}&_od_PegawaiView={direction}"
    ).get_data(as_text=True)
    shown = list(dict.fromkeys(int(pk) for pk in ROW.findall(html)))
    related = aliased(model)
    order = asc if direction == "asc" else desc
    expected = read(
        app,
        lambda session: list(
            session.execute(
                select(Pegawai.id)
                .outerjoin(related, getattr(Pegawai, column).of_type(related))
                .order_by(order(getattr(related, key)), order(Pegawai.id))
                .limit(25)
            ).scalars()
        ),
    )
    assert shown == expected


def test_a_sort_on_a_column_the_list_does_not_offer_falls_back_to_its_own_order(admin):
    response = admin.get("/pegawaiview/list/?_oc_PegawaiView=user&_od_PegawaiView=asc")
    assert response.status_code == 200
    assert len(set(ROW.findall(response.get_data(as_text=True)))) == 25


def test_admin_finds_a_pegawai_by_nip(admin, cast, app):
    html = admin.get(f"/pegawaiview/list/?_flt_0_nip={cast.outsider}").get_data(as_text=True)
    assert set(ROW.findall(html)) == {str(pegawai_id(app, cast.outsider))}


# --- adding and editing a pegawai -------------------------------------------------------


def test_admin_adds_a_pegawai_with_a_valid_nip(admin, app, unit_id):
    form = new_pegawai_form(unit_id)
    response = admin.post("/pegawaiview/add", data=form)
    assert response.status_code == 302
    saved = read(
        app,
        lambda session: session.execute(
            select(Pegawai.nama, Pegawai.unit_kerja_id, Pegawai.tanggal_lahir).filter_by(
                nip=form["nip"]
            )
        ).one_or_none(),
    )
    assert saved == (form["nama"], unit_id, date.fromisoformat(form["tanggal_lahir"]))


@pytest.mark.parametrize(
    ("change", "field", "english"),
    [
        ({"nip": "20010101202001100X"}, "nip", "NIP may contain digits only"),
        ({"nip": "200102302020011001"}, "nip", "not a valid birth date"),  # 30 February
        ({"nip": "20010101202001100"}, "nip", "digits long"),
        ({"tanggal_lahir": "1999-09-09"}, "tanggal_lahir", "Birth date does not match the NIP"),
        ({"jenis_kelamin": "2"}, "jenis_kelamin", "Gender does not match digit 15"),
    ],
    ids=["non-digit", "impossible-birth-date", "too-short", "birth-date-mismatch", "gender"],
)
def test_invalid_pegawai_is_refused_on_its_field_in_indonesian(
    admin, app, unit_id, change, field, english
):
    form = new_pegawai_form(unit_id, **change)
    response = admin.post("/pegawaiview/add", data=form)
    assert response.status_code == 200
    assert column(app, Pegawai, "id", nip=form["nip"]) is None
    assert column(app, Pegawai, "id", nama=form["nama"]) is None
    assert_indonesian_error(response.get_data(as_text=True), field, english)


def test_duplicate_nip_is_refused_on_the_nip_field_in_indonesian(admin, app, unit_id, cast):
    form = new_pegawai_form(unit_id, nip=cast.outsider)
    response = admin.post("/pegawaiview/add", data=form)
    assert response.status_code == 200
    assert column(app, Pegawai, "id", nama=form["nama"]) is None
    assert_indonesian_error(response.get_data(as_text=True), "nip", "is already registered")


def test_pegawai_cannot_be_made_their_own_atasan(admin, app, unit_id):
    me = make_pegawai(app, unit_id)
    response = admin.post(f"/pegawaiview/edit/{me}", data=form_of(app, me, atasan=str(me)))
    assert response.status_code == 200
    assert column(app, Pegawai, "atasan_id", id=me) is None
    assert_indonesian_error(
        response.get_data(as_text=True), "atasan", "cannot be their own supervisor"
    )


def test_atasan_cannot_be_set_to_one_of_their_subordinates(admin, app, unit_id):
    kepala = make_pegawai(app, unit_id)
    kasubag = make_pegawai(app, unit_id, atasan=kepala)
    staf = make_pegawai(app, unit_id, atasan=kasubag)
    form = form_of(app, kepala, atasan=str(staf))
    response = admin.post(f"/pegawaiview/edit/{kepala}", data=form)
    assert response.status_code == 200
    assert column(app, Pegawai, "atasan_id", id=kepala) is None
    assert_indonesian_error(response.get_data(as_text=True), "atasan", "create a cycle")


def test_atasan_can_be_changed_to_someone_outside_the_chain(admin, app, unit_id):
    kepala = make_pegawai(app, unit_id)
    staf = make_pegawai(app, unit_id)
    response = admin.post(f"/pegawaiview/edit/{staf}", data=form_of(app, staf, atasan=str(kepala)))
    assert response.status_code == 302
    assert column(app, Pegawai, "atasan_id", id=staf) == kepala


def test_emptied_optional_text_is_stored_as_null_like_the_import_and_api_do(admin, app, unit_id):
    staf = make_pegawai(app, unit_id)
    form = form_of(app, staf, gelar_depan="", gelar_belakang="  ", jenis_kelamin="")
    assert admin.post(f"/pegawaiview/edit/{staf}", data=form).status_code == 302
    stored = read(
        app,
        lambda s: s.execute(
            select(Pegawai.gelar_depan, Pegawai.gelar_belakang, Pegawai.jenis_kelamin).filter_by(
                id=staf
            )
        ).one(),
    )
    assert tuple(stored) == (None, None, None)


# --- the unit tree ----------------------------------------------------------------------


def add_unit(admin, app, kode: str, nama: str, parent: int, jenis: str = "bidang") -> int:  # noqa: ANN001
    response = admin.post(
        "/unitkerjaview/add", data={"kode": kode, "nama": nama, "jenis": jenis, "parent": parent}
    )
    assert response.status_code == 302
    return column(app, UnitKerja, "id", kode=kode)


def test_unit_added_under_a_parent_shows_its_full_path(admin, app, unit_id):
    unit = add_unit(admin, app, f"UJI-PATH-{next(_sequence)}", "Bidang Uji Jalur", unit_id)
    html = admin.get(f"/unitkerjaview/show/{unit}").get_data(as_text=True)
    assert "Pemerintah Kota Dumai › Dinas Kesehatan › Bidang Uji Jalur" in html


def test_unit_cannot_move_under_its_own_sub_unit(admin, app, unit_id):
    n = next(_sequence)
    bidang = add_unit(admin, app, f"UJI-B-{n}", "Bidang Uji Pindah", unit_id)
    seksi = add_unit(admin, app, f"UJI-S-{n}", "Seksi Uji Pindah", bidang, jenis="seksi")
    path_before = column(app, UnitKerja, "path", id=bidang)
    response = admin.post(
        f"/unitkerjaview/edit/{bidang}",
        data={
            "kode": f"UJI-B-{n}",
            "nama": "Bidang Uji Pindah",
            "jenis": "bidang",
            "parent": seksi,
        },
    )
    assert response.status_code == 200
    assert column(app, UnitKerja, "parent_id", id=bidang) == unit_id
    assert column(app, UnitKerja, "path", id=bidang) == path_before
    assert_indonesian_error(
        response.get_data(as_text=True), "parent", "cannot be placed under itself"
    )


# --- periode ----------------------------------------------------------------------------


@pytest.fixture()
def restore_active_periode(app):  # noqa: ANN001, ANN201
    """Activating a periode deactivates the others: put the demo's active one back after."""
    active = read(app, lambda s: set(s.execute(select(Periode.id).filter_by(aktif=True)).scalars()))
    yield
    with app.app_context():
        for periode in db.session.execute(select(Periode)).scalars():
            periode.aktif = periode.id in active
        db.session.commit()


def add_active_year(admin, tahun: int) -> None:  # noqa: ANN001
    response = admin.post(
        "/periodeview/add",
        data={
            "tahun": str(tahun),
            "jenis": "tahunan",
            "tanggal_mulai": f"{tahun}-01-01",
            "tanggal_selesai": f"{tahun}-12-31",
            "aktif": "y",
        },
    )
    assert response.status_code == 302


def test_activating_an_annual_periode_deactivates_the_other_one(admin, app, restore_active_periode):
    add_active_year(admin, 2091)
    add_active_year(admin, 2092)
    active = read(
        app,
        lambda s: list(
            s.execute(select(Periode.tahun).filter_by(jenis="tahunan", aktif=True)).scalars()
        ),
    )
    assert active == [2092]


# --- accounts ---------------------------------------------------------------------------


def account_of(app, pegawai_id: int) -> tuple[str, list[str]] | None:  # noqa: ANN001
    def query(session):  # noqa: ANN001, ANN202
        user = session.get(Pegawai, pegawai_id).user
        return (user.username, sorted(r.name for r in user.roles)) if user else None

    return read(app, query)


def test_create_account_gives_roles_that_follow_the_org_chart(admin, app, unit_id):
    kepala = make_pegawai(app, unit_id)
    staf = make_pegawai(app, unit_id, atasan=kepala)
    response = admin.post(
        "/pegawaiview/action_post",
        data={"action": "create_account", "rowid": [str(kepala), str(staf)]},
    )
    assert response.status_code == 302
    assert account_of(app, kepala) == (
        column(app, Pegawai, "nip", id=kepala),
        ["atasan", "pegawai"],
    )
    assert account_of(app, staf) == (column(app, Pegawai, "nip", id=staf), ["pegawai"])


def test_create_account_leaves_an_existing_account_alone(admin, app, cast):
    pid = pegawai_id(app, cast.staff)
    user_before = column(app, Pegawai, "user_id", id=pid)
    response = admin.post(
        "/pegawaiview/action_post", data={"action": "create_account", "rowid": str(pid)}
    )
    assert response.status_code == 302
    assert column(app, Pegawai, "user_id", id=pid) == user_before


def test_an_account_carries_the_whole_name_and_no_placeholder_last_name(admin, app, unit_id):
    pid = make_pegawai(app, unit_id)
    admin.post("/pegawaiview/action_post", data={"action": "create_account", "rowid": str(pid)})

    def names(session):  # noqa: ANN001, ANN202
        person = session.get(Pegawai, pid)
        return person.nama, person.user.first_name, person.user.last_name, person.nip

    nama, first, last, nip = read(app, names)
    assert (first, last) == (nama, "")
    client = app.test_client()
    with app.app_context():
        user = app.appbuilder.sm.find_user(username=nip)
        app.appbuilder.sm.reset_password(user.id, "Kinerja2026Dumai")
        db.session.commit()
    client.post("/login/", data={"username": nip, "password": "Kinerja2026Dumai"})
    html = client.get("/kinerja-saya/").get_data(as_text=True)
    assert nama in html and f"{nama} -" not in html
    # The pegawai's own info form takes the single name as it is.
    response = client.post("/userinfoeditview/form", data={"first_name": nama, "last_name": ""})
    assert response.status_code == 302
    assert read(app, names)[2] == ""


def test_admin_saves_an_account_with_a_single_name(admin, app, unit_id):
    pid = make_pegawai(app, unit_id)
    admin.post("/pegawaiview/action_post", data={"action": "create_account", "rowid": str(pid)})
    user_id, nip = read(app, lambda s: (s.get(Pegawai, pid).user_id, s.get(Pegawai, pid).nip))
    with app.app_context():
        role = app.appbuilder.sm.find_role("pegawai").id
    response = admin.post(
        f"/users/edit/{user_id}",
        data={
            "first_name": "Suparman",
            "last_name": "",
            "username": nip,
            "email": f"{nip}@contoh.id",
            "active": "y",
            "roles": [str(role)],
        },
    )
    assert response.status_code == 302
    assert read(
        app, lambda s: (s.get(Pegawai, pid).user.first_name, s.get(Pegawai, pid).user.last_name)
    ) == ("Suparman", "")


# --- history ----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["pegawaiview", "unitkerjaview", "jabatanview", "periodeview"])
def test_show_page_links_to_the_record_history(admin, view):
    listing = admin.get(f"/{view}/list/").get_data(as_text=True)
    first = re.search(rf'href="/{view}/show/(\d+)"', listing)
    assert first, f"{view} list is empty"
    html = admin.get(f"/{view}/show/{first.group(1)}").get_data(as_text=True)
    link = re.search(r'href="(/auditlogview/list/\?[^"]+)"', html)
    assert link, "no history link on the show page"
    target = link.group(1).replace("&amp;", "&")
    assert f"row_id={first.group(1)}" in target
    assert admin.get(target).status_code == 200
