"""Province scale (100,000 pegawai): no page grows with the tables behind it.

A database of its own, measured twice: small (the demo's few pegawai plus a handful of staff
with submitted work), then after 300 more pegawai with accounts, SKPs, evaluations and audit
rows. Forms carry only the chosen related rows (search-as-you-type pickers, test_pickers.py)
and list pages cost the same number of SQL statements at either size and page size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from tests.conftest import PASSWORD, _postgres_database, make_app, statements
from tests.factories import crowd

SMALL, GROWTH = 5, 300

# (who, url) of every page measured; "{edited}" is a pegawai with an atasan and an account.
PAGES = {
    "pegawai list 10": ("admin", "/pegawaiview/list/?psize_PegawaiView=10"),
    "pegawai list 100": ("admin", "/pegawaiview/list/?psize_PegawaiView=100"),
    "pegawai list by atasan": (
        "admin",
        "/pegawaiview/list/?psize_PegawaiView=100&_oc_PegawaiView=atasan&_od_PegawaiView=desc",
    ),
    # Enough pages when small for the pager to show its full window of page links.
    "pegawai list": ("admin", "/pegawaiview/list/?psize_PegawaiView=3"),
    "pegawai add": ("admin", "/pegawaiview/add"),
    "pegawai edit": ("admin", "/pegawaiview/edit/{edited}"),
    "unit add": ("admin", "/unitkerjaview/add"),
    "audit list 10": ("admin", "/auditlogview/list/?psize_AuditLogView=10"),
    "audit list 100": ("admin", "/auditlogview/list/?psize_AuditLogView=100"),
    "user list 10": ("admin", "/users/list/?psize_UserDBModelView=10"),
    "user list 100": ("admin", "/users/list/?psize_UserDBModelView=100"),
    "user add": ("admin", "/users/add"),
    "group add": ("admin", "/groups/add"),
    "role list": ("admin", "/roles/list/"),
    "skp saya": ("atasan", "/skp/"),
    "skp inbox": ("atasan", "/skp/persetujuan/"),
    "penilaian list": ("atasan", "/penilaian/"),
    "pegawai list as atasan": ("atasan", "/pegawaiview/list/?psize_PegawaiView=100"),
}


@dataclass
class Measure:
    """Per page: (statements, bytes) when small and when grown; the grown rows' NIPs."""

    small: dict[str, tuple[int, int]] = field(default_factory=dict)
    large: dict[str, tuple[int, int]] = field(default_factory=dict)
    html: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def province_url(tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    if os.environ.get("SIKAP_TEST_BACKEND") == "postgresql":
        yield from _postgres_database()
        return
    yield "sqlite:///" + str(tmp_path_factory.mktemp("province") / "province.db")


def _atasan_and_edited(app) -> tuple[str, int]:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Pegawai

    staff = aliased(Pegawai)
    with app.app_context():
        atasan = (
            db.session.execute(
                select(Pegawai.nip)
                .where(exists().where(staff.atasan_id == Pegawai.id), Pegawai.user_id.is_not(None))
                .order_by(Pegawai.id.desc())
            )
            .scalars()
            .first()
        )
        edited = (
            db.session.execute(
                select(Pegawai.id)
                .where(Pegawai.atasan_id.is_not(None), Pegawai.user_id.is_not(None))
                .order_by(Pegawai.id)
            )
            .scalars()
            .first()
        )
    return atasan, edited


@pytest.fixture(scope="module")
def measured(province_url: str) -> Measure:
    from flask_migrate import upgrade

    from app import audit, demo
    from app.extensions import db

    with make_app(province_url).app_context():
        upgrade()
    app = make_app(province_url)
    with app.app_context(), audit.attributed_to("tests:demo-data"):
        demo.load_demo_data(db.session, 20, performance=False)
        db.session.commit()
    atasan, edited = _atasan_and_edited(app)
    clients = {}
    for role, username in (("admin", "admin"), ("atasan", atasan)):
        clients[role] = app.test_client()
        response = clients[role].post("/login/", data={"username": username, "password": PASSWORD})
        assert response.status_code == 302

    def measure_all() -> dict[str, tuple[int, int]]:
        sizes = {}
        for name, (role, url) in PAGES.items():
            url = url.format(edited=edited)
            clients[role].get(url)  # the first visit may warm caches; count the second
            with statements(app) as sent:
                response = clients[role].get(url)
            assert response.status_code == 200, (name, response.status_code)
            result.html[name] = response.get_data(as_text=True)
            sizes[name] = (len(sent), len(response.data))
        return sizes

    result = Measure()
    crowd(app, atasan, SMALL, nama="Zy Uji Awal")
    result.small = measure_all()
    result.added = crowd(app, atasan, GROWTH)
    result.large = measure_all()
    return result


LISTS = [
    ("pegawai list 10", "pegawai list 100", "pegawai list by atasan"),
    ("audit list 10", "audit list 100"),
    ("user list 10", "user list 100"),
    ("skp saya",),
    ("skp inbox",),
    ("penilaian list",),
    ("pegawai list as atasan",),
]


@pytest.mark.parametrize("pages", LISTS, ids=[pages[0] for pages in LISTS])
def test_a_list_costs_the_same_statements_whatever_the_page_and_table_size(measured, pages):
    counts = {
        (page, size): sizes[page][0]
        for size, sizes in (("small", measured.small), ("large", measured.large))
        for page in pages
    }
    assert len(set(counts.values())) == 1, counts


def test_the_pegawai_list_costs_a_handful_of_statements(measured):
    # user (+ its roles and groups: selectinload, see SikapSecurityManager.get_user_by_id),
    # viewer's pegawai, count, page (relations joined), notifications
    assert measured.large["pegawai list 100"][0] <= 8


FORMS = ["pegawai add", "pegawai edit", "unit add", "user add", "group add"]


@pytest.mark.parametrize("page", FORMS + ["pegawai list", "role list"])
def test_a_page_does_not_grow_with_the_tables(measured, page):
    small, large = measured.small[page][1], measured.large[page][1]
    assert large - small < 1_000, (small, large)


@pytest.mark.parametrize("page", ["pegawai add", "pegawai edit", "user add", "pegawai list"])
def test_a_form_or_filter_lists_none_of_the_new_pegawai(measured, page):
    html = measured.html[page]
    assert not [nip for nip in measured.added if nip in html]
