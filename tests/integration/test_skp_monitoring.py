"""SKP monitoring (Perencanaan): counts per OPD and unit, the scoped list of pegawai with what
each SKP waits on, sorting, the .xlsx export, and a page that costs a constant number of SQL
statements whatever the number of rows.

Other modules create SKPs in the same database, so counts are checked against a plain
per-pegawai recount and as the change caused by the SKPs created here."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

import openpyxl
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.skp import RencanaHasilKerja, Skp
from app.security.scope import is_opd_path
from app.services import monitoring
from tests.conftest import PASSWORD, statements
from tests.factories import MANUAL_JPT

URL = "/skp/monitoring/"
XLSX = "/skp/monitoring/unduh.xlsx"
STATUS_RANK = {status: rank for rank, status in enumerate(monitoring.STATUSES)}
HEADER_ROW = 8  # 1-based, after the six-line title block and a blank line
FORMULA_NAME = '=HYPERLINK("http://x","klik")'


# --- reading the page --------------------------------------------------------------------


def summary_of(html: str) -> dict[str, dict[str, int]]:
    """{unit id (or "" for pegawai outside every OPD): {status: count, "total": n}}."""
    table = html.split('id="monitoring-summary"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for unit_id, cells in re.findall(r'<tr data-unit-id="(\d*)">(.*?)</tr>', body, re.S):
        rows[unit_id] = {
            status: int(count)
            for status, count in re.findall(r'data-status="(\w+)">\s*(?:<a [^>]*>)?(\d+)', cells)
        }
    return rows


def listed(html: str) -> list[dict[str, str]]:
    """The rows of the pegawai list, in page order."""
    table = html.split('id="monitoring-pegawai"', 1)[1].split("</table>", 1)[0]
    return [
        {
            "nip": nip,
            "status": status,
            "waits_on": waits_on,
            "hari": hari,
            "sejak": sejak,
            "html": cells,
        }
        for nip, status, waits_on, hari, sejak, cells in re.findall(
            r'<tr data-nip="(\d+)" data-status="(\w+)" data-waits-on="(\w*)" '
            r'data-hari="(\d*)" data-sejak="([^"]*)">'
            r"(.*?)</tr>",
            table,
            re.S,
        )
    ]


def listed_total(html: str) -> int:
    return int(re.search(r'id="monitoring-pegawai" data-total="(\d+)"', html).group(1))


# --- data --------------------------------------------------------------------------------


def jwt_client(app, username: str):
    client = app.test_client()
    response = client.post(
        "/api/v1/security/login",
        json={"username": username, "password": PASSWORD, "provider": "db"},
    )
    assert response.status_code == 200, response.get_json()
    return client, {"Authorization": f"Bearer {response.get_json()['access_token']}"}


def browser(app, username: str):
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"login of {username} failed"
    return client


def newest_skp(pegawai_id: int, periode_id: int) -> Skp | None:
    return (
        db.session.execute(
            select(Skp)
            .where(Skp.pegawai_id == pegawai_id, Skp.periode_id == periode_id)
            .order_by(Skp.versi.desc())
        )
        .scalars()
        .first()
    )


def add_rhk(client, headers, skp_id: int, **link) -> int:
    # A JPT's SKP (the head of an OPD) takes the JPT form: a perspektif, a manual indikator.
    model = client.get(f"/api/v1/skp/{skp_id}", headers=headers).get_json()["result"]["model"]
    manual = {"manual_indikator": MANUAL_JPT} if model == "jpt" else {}
    if manual:
        link = {"perspektif": "proses_bisnis", **link}
    response = client.post(
        "/api/v1/rencana_hasil_kerja/",
        json={"skp_id": skp_id, "jenis": "utama", "uraian": "Layanan terpantau", **link},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    rhk_id = response.get_json()["id"]
    response = client.post(
        "/api/v1/indikator_kinerja/",
        json={
            "rencana_hasil_kerja_id": rhk_id,
            "aspek": "kuantitas",
            "uraian": "Jumlah layanan",
            "target": 12,
            "satuan": "dokumen",
            **manual,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return rhk_id


def create_skp(client, headers, periode_id: int) -> int:
    body = {"periode_id": periode_id, "pendekatan": "kuantitatif"}
    response = client.post("/api/v1/skp/", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def submitted_rhk(app, nip: str, periode_id: int, **link) -> int:
    """An RHK of the pegawai's submitted (or approved) SKP of the year, for their staff to
    intervene; drafted and submitted through the API when there is none yet."""
    client, headers = jwt_client(app, nip)
    with app.app_context():
        me = db.session.execute(select(Pegawai.id).where(Pegawai.nip == nip)).scalar_one()
        skp = newest_skp(me, periode_id)
        skp_id, status = (skp.id, skp.status) if skp else (None, None)
    if skp_id is None:
        skp_id = create_skp(client, headers, periode_id)
    if status in (None, "draft", "dikembalikan"):
        add_rhk(client, headers, skp_id, **link)
        response = client.post(f"/api/v1/skp/{skp_id}/submit", headers=headers)
        assert response.status_code == 200, response.get_json()
    with app.app_context():
        return (
            db.session.execute(
                select(RencanaHasilKerja.id).where(RencanaHasilKerja.skp_id == skp_id)
            )
            .scalars()
            .first()
        )


@pytest.fixture(scope="module")
def world(app, cast) -> dict:
    """Four subordinates of the cast's atasan, without an SKP until now, taken to draft,
    submitted, returned and approved through the SKP API; a fifth is renamed to a formula.
    The cascade above them (pimpinan → atasan) is submitted first; the admin's view of the
    OPD and of the bidang is read before and after the four SKPs."""
    with app.app_context():
        periode = db.session.execute(
            select(Periode).where(Periode.jenis == "tahunan", Periode.aktif.is_(True))
        ).scalar_one()
        atasan = db.session.execute(select(Pegawai).where(Pegawai.nip == cast.atasan)).scalar_one()
        bidang = atasan.unit_kerja
        opd = db.session.execute(
            select(UnitKerja).where(UnitKerja.kepala_id == atasan.atasan_id)
        ).scalar_one()
        with_skp = select(Skp.pegawai_id).where(Skp.periode_id == periode.id)
        free = (
            db.session.execute(
                select(Pegawai)
                .where(
                    Pegawai.atasan_id == atasan.id,
                    Pegawai.aktif.is_(True),
                    Pegawai.nip.not_in([cast.staff, cast.other_staff]),
                    Pegawai.id.not_in(with_skp),
                )
                .order_by(Pegawai.id.desc())
            )
            .scalars()
            .all()
        )
        assert len(free) >= 5, "the demo bidang needs five staff without an SKP"
        people = [(p.nip, p.id) for p in free[:5]]
        ids = {"periode": periode.id, "bidang": bidang.id, "opd": opd.id, "atasan": atasan.id}
        atasan_name = atasan.nama

    top = submitted_rhk(app, cast.pimpinan, ids["periode"], penugasan_dari="Wali Kota")
    rhk = submitted_rhk(app, cast.atasan, ids["periode"], intervensi_id=top)
    admin = browser(app, "admin")
    before = {
        "opd": summary_of(admin.get(URL).get_data(as_text=True))[str(ids["opd"])],
        "bidang": summary_of(admin.get(f"{URL}?unit_kerja_id={ids['opd']}").get_data(as_text=True))[
            str(ids["bidang"])
        ],
    }

    boss, boss_headers = jwt_client(app, cast.atasan)
    expected = {}
    targets = ("draft", "diajukan", "dikembalikan", "disetujui")
    for (nip, _), target in zip(people[:4], targets, strict=True):
        client, headers = jwt_client(app, nip)
        skp_id = create_skp(client, headers, ids["periode"])
        expected[nip] = target
        if target == "draft":
            continue
        add_rhk(client, headers, skp_id, intervensi_id=rhk)
        assert client.post(f"/api/v1/skp/{skp_id}/submit", headers=headers).status_code == 200
        if target == "dikembalikan":
            response = boss.post(
                f"/api/v1/skp/{skp_id}/return", json={"catatan": "Lengkapi"}, headers=boss_headers
            )
            assert response.get_json()["status"] == "dikembalikan"
        elif target == "disetujui":
            response = boss.post(f"/api/v1/skp/{skp_id}/approve", headers=boss_headers)
            assert response.get_json()["status"] == "disetujui"

    renamed_nip, renamed_id = people[4]
    with app.app_context():
        pegawai = db.session.get(Pegawai, renamed_id)
        original_name, pegawai.nama = pegawai.nama, FORMULA_NAME
        db.session.commit()

    after = {
        "opd": summary_of(admin.get(URL).get_data(as_text=True))[str(ids["opd"])],
        "bidang": summary_of(admin.get(f"{URL}?unit_kerja_id={ids['opd']}").get_data(as_text=True))[
            str(ids["bidang"])
        ],
    }
    yield {
        **ids,
        "expected": expected,
        "renamed": renamed_nip,
        "atasan_name": atasan_name,
        "before": before,
        "after": after,
    }
    with app.app_context():
        db.session.get(Pegawai, renamed_id).nama = original_name
        db.session.commit()


def recount(app, unit_id: int, periode_id: int) -> Counter:
    """The status of every active pegawai of a unit's subtree, one lookup at a time: the
    slow, obvious answer the page's aggregate must agree with."""
    with app.app_context():
        unit = db.session.get(UnitKerja, unit_id)
        people = db.session.execute(
            select(Pegawai.id)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(UnitKerja.path.startswith(unit.path), Pegawai.aktif.is_(True))
        ).scalars()
        counts = Counter()
        for pegawai_id in people:
            skp = newest_skp(pegawai_id, periode_id)
            counts[skp.status if skp else monitoring.BELUM_DIBUAT] += 1
        return counts


# --- who may see what --------------------------------------------------------------------


def opd_ids(app) -> set[str]:
    with app.app_context():
        units = db.session.execute(select(UnitKerja.id, UnitKerja.path)).all()
    return {str(unit_id) for unit_id, path in units if is_opd_path(path)}


def test_admin_sees_every_opd(app):
    response = browser(app, "admin").get(URL)
    assert response.status_code == 200
    assert opd_ids(app) <= set(summary_of(response.get_data(as_text=True)))


def test_pimpinan_sees_only_their_opd(app, cast, world):
    """The head of an OPD opens Monitoring inside it (its sub-units and its own staff), as
    on the dashboard and Kepatuhan; together they are the OPD's row of the city view."""
    html = browser(app, cast.pimpinan).get(URL).get_data(as_text=True)
    with app.app_context():
        opd = db.session.get(UnitKerja, world["opd"])
        inside = {
            str(unit_id)
            for unit_id in db.session.execute(
                select(UnitKerja.id).where(UnitKerja.path.startswith(opd.path))
            ).scalars()
        }
    rows = summary_of(html)
    assert rows and set(rows) <= inside
    opd_row = world["after"]["opd"]
    assert {key: sum(row[key] for row in rows.values()) for key in opd_row} == opd_row


def test_pimpinan_list_names_only_pegawai_of_their_opd(app, cast, world):
    client = browser(app, cast.pimpinan)
    html = client.get(URL).get_data(as_text=True)
    with app.app_context():
        opd = db.session.get(UnitKerja, world["opd"])
        inside = set(
            db.session.execute(
                select(Pegawai.nip)
                .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
                .where(UnitKerja.path.startswith(opd.path), Pegawai.aktif.is_(True))
            ).scalars()
        )
    assert listed_total(html) == len(inside)
    assert {row["nip"] for row in listed(html)} <= inside
    assert cast.outsider not in html


def test_pimpinan_gets_404_for_a_unit_of_another_opd(app, cast):
    with app.app_context():
        outsider_unit = db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == cast.outsider)
        ).scalar_one()
        outsider_opd = db.session.get(UnitKerja, outsider_unit).path.split("/")[2]
    client = browser(app, cast.pimpinan)
    for unit_id in (outsider_unit, outsider_opd):
        assert client.get(f"{URL}?unit_kerja_id={unit_id}").status_code == 404
        assert client.get(f"{XLSX}?unit_kerja_id={unit_id}").status_code == 404


@pytest.mark.parametrize("who", ["atasan", "staff"])
@pytest.mark.parametrize("url", [URL, XLSX])
def test_atasan_and_pegawai_are_refused(app, cast, who, url):
    response = browser(app, getattr(cast, who)).get(url)
    assert response.status_code in (302, 403)
    assert b"monitoring-pegawai" not in response.data
    assert not response.data.startswith(b"PK")


# --- counts and the list -----------------------------------------------------------------


def test_counts_match_a_recount_per_pegawai(app, world):
    for unit in ("opd", "bidang"):
        expected = recount(app, world[unit], world["periode"])
        shown = world["after"][unit]
        assert {s: shown[s] for s in monitoring.STATUSES} == {
            s: expected[s] for s in monitoring.STATUSES
        }
        assert shown["total"] == sum(expected.values())


def test_counts_move_with_the_skps_created_through_the_api(world):
    for unit in ("opd", "bidang"):
        before, after = world["before"][unit], world["after"][unit]
        change = {status: after[status] - before[status] for status in monitoring.STATUSES}
        assert change == {
            "belum_dibuat": -4,
            "draft": 1,
            "dikembalikan": 1,
            "diajukan": 1,
            "disetujui": 1,
        }
        assert after["total"] == before["total"]


def test_list_shows_status_and_who_each_skp_waits_on(app, world):
    html = (
        browser(app, "admin").get(f"{URL}?unit_kerja_id={world['bidang']}").get_data(as_text=True)
    )
    rows = {row["nip"]: row for row in listed(html)}
    for nip, status in world["expected"].items():
        assert rows[nip]["status"] == status
    submitted = next(n for n, s in world["expected"].items() if s == "diajukan")
    approved = next(n for n, s in world["expected"].items() if s == "disetujui")
    returned = next(n for n, s in world["expected"].items() if s == "dikembalikan")
    assert rows[submitted]["waits_on"] == monitoring.WAITS_ON_PENILAI
    assert world["atasan_name"] in rows[submitted]["html"]
    assert rows[submitted]["hari"] == "0" and rows[submitted]["sejak"]
    assert rows[returned]["waits_on"] == monitoring.WAITS_ON_PEGAWAI
    assert world["atasan_name"] not in rows[returned]["html"]
    assert rows[approved]["waits_on"] == "" and rows[approved]["hari"] == ""
    assert rows[world["renamed"]]["status"] == monitoring.BELUM_DIBUAT


def test_status_filter_lists_only_that_status(app, world):
    client = browser(app, "admin")
    for status in monitoring.STATUSES:
        html = client.get(f"{URL}?unit_kerja_id={world['bidang']}&status={status}").get_data(
            as_text=True
        )
        rows = listed(html)
        assert rows and {row["status"] for row in rows} == {status}
        assert listed_total(html) == world["after"]["bidang"][status]


# --- sorting -----------------------------------------------------------------------------


def bidang_rows(app, world, **args) -> list[dict[str, str]]:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    response = browser(app, "admin").get(f"{URL}?unit_kerja_id={world['bidang']}&{query}")
    assert response.status_code == 200
    return listed(response.get_data(as_text=True))


def days(row: dict[str, str]) -> float:
    return int(row["hari"]) if row["hari"] else float("inf")  # approved: nothing to wait for


CHECKED_ORDER = {
    "nip": lambda row: row["nip"],
    "status": lambda row: STATUS_RANK[row["status"]],
    "sejak": lambda row: row["sejak"],
}


@pytest.mark.parametrize("sort", monitoring.SORTS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_sorting_by_each_column(app, world, sort, direction):
    rows = bidang_rows(app, world, sort=sort, dir=direction)
    assert {r["nip"] for r in rows} == {r["nip"] for r in bidang_rows(app, world)}
    if sort in CHECKED_ORDER:
        keys = [CHECKED_ORDER[sort](row) for row in rows]
        assert keys == sorted(keys, reverse=direction == "desc")
    if sort == "hari":
        waiting = [days(row) for row in rows if row["hari"]]
        assert waiting == sorted(waiting, reverse=direction == "desc")
        assert all(row["hari"] for row in rows[: len(waiting)])  # approved rows come last
    if sort == "menunggu" and direction == "asc":
        assert rows[0]["status"] == "diajukan"  # waiting on an appraiser first


@pytest.mark.parametrize(
    "query",
    [
        "sort=drop%20table&dir=sideways",
        "sort=__class__&dir=desc&page=-3",
        "status=hapus&page=abc",
        "periode_id=abc",
        "page=99999",
    ],
)
def test_bogus_parameters_fall_back_to_the_default(app, query):
    response = browser(app, "admin").get(f"{URL}?{query}")
    assert response.status_code == 200
    assert listed(response.get_data(as_text=True))


@pytest.mark.parametrize("query", ["periode_id=99999", "unit_kerja_id=99999", "unit_kerja_id=1"])
def test_unknown_year_or_unit_answers_404(app, query):
    assert browser(app, "admin").get(f"{URL}?{query}").status_code == 404


# --- the export --------------------------------------------------------------------------


def workbook(response):
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.data)).active


def test_xlsx_holds_the_list_with_title_block_and_nip_as_text(app, cast, world):
    client = browser(app, cast.pimpinan)
    html = client.get(URL).get_data(as_text=True)
    sheet = workbook(client.get(XLSX))
    title = [sheet.cell(row, 1).value for row in range(1, 7)]
    assert title[0] == "PEMERINTAH KOTA DUMAI"
    assert "BADAN KEPEGAWAIAN" in title[1]
    assert title[2] and title[3] and title[4] and title[5]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[1] == "NIP" and len(header) == 9
    data = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert len(data) == listed_total(html)
    assert all(isinstance(row[1], str) and re.fullmatch(r"\d{18}", row[1]) for row in data)
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:I{HEADER_ROW + len(data)}"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"
    assert cast.outsider not in {row[1] for row in data}


def test_xlsx_writes_a_name_starting_with_equals_as_text(app, world):
    response = browser(app, "admin").get(f"{XLSX}?unit_kerja_id={world['bidang']}")
    sheet = workbook(response)
    cells = [row[2] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    formula = next(cell for cell in cells if str(cell.value).startswith("="))
    assert formula.value == FORMULA_NAME
    assert formula.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_xlsx_follows_the_filters_and_order_of_the_page(app, world):
    client = browser(app, "admin")
    query = f"unit_kerja_id={world['bidang']}&sort=nip&dir=desc"
    page = [row["nip"] for row in listed(client.get(f"{URL}?{query}").get_data(as_text=True))]
    sheet = workbook(client.get(f"{XLSX}?{query}"))
    assert [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)] == page


# --- cost --------------------------------------------------------------------------------


def test_statement_count_does_not_grow_with_the_rows(app, world):
    """The bidang with the SKPs created here against a unit of the same depth with one
    pegawai, and the same for the export."""
    with app.app_context():
        bidang = db.session.get(UnitKerja, world["bidang"])
        siblings = (
            db.session.execute(
                select(UnitKerja.id).where(
                    UnitKerja.parent_id == bidang.parent_id, UnitKerja.id != bidang.id
                )
            )
            .scalars()
            .all()
        )
    small_id = next(
        unit_id for unit_id in siblings if recount(app, unit_id, world["periode"]).total()
    )
    client = browser(app, "admin")
    client.get(URL)  # warm up FAB's permission lookups
    costs = {}
    for name, unit_id in (("many", world["bidang"]), ("few", small_id)):
        with app.app_context(), statements(app) as seen:
            page = client.get(f"{URL}?unit_kerja_id={unit_id}&sort=hari")
        with app.app_context(), statements(app) as exported:
            client.get(f"{XLSX}?unit_kerja_id={unit_id}")
        costs[name] = (len(seen), len(exported), listed_total(page.get_data(as_text=True)))
    assert costs["many"][2] > costs["few"][2]
    assert costs["many"][:2] == costs["few"][:2]


def test_xlsx_writes_since_as_a_real_date_shown_in_the_readers_language(app, world):
    """ "Since" is a date Excel can sort and compute with, shown as the pages write it
    ("5 Desember 2026 14.37"): month names in Indonesian by default, in English for a reader
    who chose English; never the text "dd-mm-yyyy hh:mm"."""
    client = browser(app, "admin")
    since = 8  # 1-based column of "Since"

    def since_cells():
        sheet = workbook(client.get(XLSX))
        assert sheet.cell(HEADER_ROW, since).value in ("Sejak", "Since")
        return [
            row[since - 1]
            for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
            if row[since - 1].value is not None
        ]

    indonesian = since_cells()
    assert indonesian, "no SKP waits on anyone in the demo data"
    assert all(cell.is_date and cell.data_type == "d" for cell in indonesian)
    assert {cell.number_format for cell in indonesian} == {'[$-421]d mmmm yyyy hh"."mm'}
    client.get("/lang/en")
    english = since_cells()
    assert {cell.number_format for cell in english} == {'[$-409]d mmmm yyyy hh"."mm'}
