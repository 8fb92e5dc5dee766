"""Units with their OPD (issue 14, item 7): "Sekretariat — Dinas Kesehatan" in the pegawai
list, monitoring and its workbook, and kepatuhan; and the expandable unit tree for admin."""

from __future__ import annotations

import io
import re

import openpyxl
from sqlalchemy import select

from tests.conftest import statements


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


def test_the_unit_tree_expands_from_the_city_with_counts(app, login, cast):
    from app.extensions import db
    from app.models.master import UnitKerja

    client = login(cast.admin)
    client.get("/unitkerjaview/pohon/")
    with statements(app) as sent:
        page = client.get("/unitkerjaview/pohon/").get_data(as_text=True)
    with app.app_context():
        units = db.session.execute(select(UnitKerja.id)).scalars().all()
    # Every unit once, nested in <details> under its parent; counts in words.
    assert len(re.findall(r'<li data-unit-id="\d+"', page)) == len(units)
    assert "<details open>" in page and "Pohon Unit Kerja" in page
    assert re.search(r"\d+ pegawai", page)
    # A few statements whatever the size of the tree (login bookkeeping included).
    assert len(sent) < 15
    for nip in (cast.pimpinan, cast.atasan, cast.staff):
        assert login(nip).get("/unitkerjaview/pohon/").status_code in (302, 403)
