"""Units with their OPD (issue 14, item 7): "Sekretariat — Dinas Kesehatan" in the pegawai
list, monitoring and its workbook, kepatuhan (its open items and the pejabat penilai work waits
on) and the development plans; and the expandable unit tree for admin."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import select

from tests.conftest import statements
from tests.factories import chain_with_submitted_skps
from tests.integration.test_pengembangan import accept, approved_chain


def a_pegawai_of_a_sub_unit(app):  # noqa: ANN001, ANN201
    """(nip, unit name, OPD name, OPD id, unit id) of an active pegawai below an OPD."""
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    with app.app_context():
        for pegawai, unit in db.session.execute(
            select(Pegawai, UnitKerja)
            .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(Pegawai.aktif.is_(True), UnitKerja.nama == "Sekretariat")
            .order_by(Pegawai.id)
        ).all():
            opd = db.session.get(UnitKerja, int(unit.path.strip("/").split("/")[1]))
            return pegawai.nip, unit.nama, opd.nama, opd.id, unit.id
    raise AssertionError("the demo has no pegawai in a Sekretariat")


def test_lists_monitoring_and_its_workbook_name_the_opd(app, login, cast):
    nip, unit, opd, opd_id, unit_id = a_pegawai_of_a_sub_unit(app)
    label = f"{unit} — {opd}"
    client = login(cast.admin)
    listed = client.get(f"/pegawaiview/list/?_flt_0_nip={nip}").get_data(as_text=True)
    assert label in listed
    monitoring = client.get(f"/skp/monitoring/?unit_kerja_id={opd_id}").get_data(as_text=True)
    assert label in monitoring
    workbook = client.get(f"/skp/monitoring/unduh.xlsx?unit_kerja_id={opd_id}")
    assert workbook.status_code == 200
    cells = {
        str(cell)
        for sheet in openpyxl.load_workbook(io.BytesIO(workbook.data)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert label in cells
    kepatuhan = client.get(f"/kepatuhan/?unit_kerja_id={unit_id}").get_data(as_text=True)
    assert label in kepatuhan


def test_the_unit_tree_opens_a_level_at_a_time_with_counts(app, login, cast):
    """The city first, its OPDs listed with their pegawai; each unit with sub-units opens a
    level down, under the units above it. Every unit is reached that way, each level costs
    the same few statements, and the counts are those of the pegawai placed under it."""
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    client = login(cast.admin)
    client.get("/unitkerjaview/pohon/")
    with statements(app) as sent:
        page = client.get("/unitkerjaview/pohon/").get_data(as_text=True)
    assert len(sent) < 15
    assert "Pohon Unit Kerja" in page and re.search(r"\d+ pegawai", page)
    with app.app_context():
        units = dict(db.session.execute(select(UnitKerja.id, UnitKerja.path)).all())
        active = [
            units[unit_id]
            for unit_id in db.session.execute(
                select(Pegawai.unit_kerja_id).where(Pegawai.aktif.is_(True))
            ).scalars()
        ]
    top = int(re.search(r'id="unit-pohon" data-unit-id="(\d+)"', page).group(1))
    seen, levels, opened = {top}, [page], {top}
    while levels:
        html = levels.pop()
        for unit_id, count in re.findall(
            r'<li class="list-group-item" data-unit-id="(\d+)".*?(\d+) pegawai', html, re.S
        ):
            under = sum(path.startswith(units[int(unit_id)]) for path in active)
            assert int(count) == under, (unit_id, count, under)
            seen.add(int(unit_id))
        for unit_id in re.findall(r'href="/unitkerjaview/pohon/\?unit=(\d+)"', html):
            if int(unit_id) not in opened:
                opened.add(int(unit_id))
                with statements(app) as sent:
                    level = client.get(f"/unitkerjaview/pohon/?unit={unit_id}")
                assert level.status_code == 200 and len(sent) < 15
                level = level.get_data(as_text=True)
                # The units above it, the city first, lead back up.
                assert f'href="/unitkerjaview/pohon/?unit={top}"' in level
                levels.append(level)
    assert seen == set(units)
    assert client.get("/unitkerjaview/pohon/?unit=987654").status_code == 404
    for nip in (cast.pimpinan, cast.atasan, cast.staff):
        assert login(nip).get("/unitkerjaview/pohon/").status_code in (302, 403)


def unit_and_opd_of(app, nip: str) -> tuple[int, str]:  # noqa: ANN001
    """(unit id, "Unit — OPD") of a pegawai of new_chain's "Bidang Uji"."""
    from app.extensions import db
    from app.models.master import Pegawai, UnitKerja

    with app.app_context():
        unit = db.session.execute(
            select(UnitKerja)
            .join(Pegawai, Pegawai.unit_kerja_id == UnitKerja.id)
            .where(Pegawai.nip == nip)
        ).scalar_one()
        opd = db.session.get(UnitKerja, int(unit.path.strip("/").split("/")[1]))
        return unit.id, f"{unit.nama} — {opd.nama}"


def test_kepatuhan_names_the_opd_of_the_penilai_work_waits_on(app, login):
    # The atasan's submitted SKP waits on the boss, of the chain's "Bidang Uji".
    people, _ = chain_with_submitted_skps(app)
    unit_id, label = unit_and_opd_of(app, people.boss)
    html = login("admin").get(f"/kepatuhan/?unit_kerja_id={unit_id}").get_data(as_text=True)
    table = html.split('id="kepatuhan-atasan"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr data-nip="{people.boss}">(.*?)</tr>', table, re.S)
    assert row is not None and label in row.group(1)


def test_development_plans_name_the_opd_of_each_pegawai(app, api, login):
    people, _, rows = approved_chain(app)
    accept(app, api, people, rows["tahunan"], "di_atas", "di_atas")
    _, label = unit_and_opd_of(app, people.staff)
    client = login("admin")
    client.get("/pengembangan/")
    with statements(app) as sent:
        html = client.get("/pengembangan/").get_data(as_text=True)
    table = html.split('id="daftar-rencana"', 1)[1].split("</table>", 1)[0]
    row = re.search(rf"<td>{people.staff}</td>(.*?)</tr>", table, re.S)
    assert row is not None and f"<td>{label}</td>" in row.group(1)
    # The units come with the page's one query of plans, not one look-up per row.
    assert not [s for s in sent if "FROM unit_kerja" in s and "WHERE unit_kerja.id =" in s]
