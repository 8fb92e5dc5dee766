"""`make bench` finds what it measures in the app (benchmarks/discovery.py): every link of each
role's navbar, every REST list and every report the role may read. These tests keep that
property from rotting: a menu entry added to the app is in the benchmark's list, and the
list holds every entry FAB's own menu shows the role (issue 16)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from flask_appbuilder import BaseView, expose, has_access

from tests.conftest import PASSWORD, make_app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import discovery  # noqa: E402 - benchmarks/, put on the path above

ROLES = ("admin", "pimpinan", "atasan", "staff")


class BenchProbeView(BaseView):
    """A page that exists only in these tests: a new menu entry nobody told the bench about."""

    route_base = "/bench-probe"
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> Any:
        return self.render_template("appbuilder/base.html")


@pytest.fixture(scope="module")
def probed_app(app, database_url: str):  # noqa: ANN001, ANN201
    """A second app on the test database with one more menu entry, which every role may see
    (roles are code: the grant goes into this app's copy of them). Permissions are not synced,
    so the database is left as it was."""
    probed = make_app(database_url, FAB_UPDATE_PERMS=False)
    with probed.app_context():
        probed.appbuilder.add_view(
            BenchProbeView, "Bench Probe", label="Bench Probe", category="SKP"
        )
        sm = probed.appbuilder.sm
        sm._builtin_roles = {
            role: [
                *patterns,
                ["^BenchProbeView$", "^can_index$"],
                ["^Bench Probe$", "^menu_access$"],
            ]
            for role, patterns in sm.builtin_roles.items()
        }
    return probed


def _signed_in(app, username: str):  # noqa: ANN001, ANN202
    client = app.test_client()
    response = client.post("/login/", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"login of {username} failed"
    return client


def _menu_as_fab_shows_it(app) -> set[str]:  # noqa: ANN001
    """The URLs of every menu entry FAB's navbar template shows the signed-in user (its
    ``is_menu_visible`` filter: ``menu_access`` on the item), walked in the app's menu."""
    sm = app.appbuilder.sm
    urls = set()
    for item in app.appbuilder.menu.get_list():
        if not sm.has_access("menu_access", item.name):
            continue
        for leaf in item.childs or [item]:
            if leaf.name != "-" and sm.has_access("menu_access", leaf.name):
                urls.add(leaf.get_url())
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_bench_finds_a_new_menu_entry_and_every_entry_fab_shows_the_role(
    probed_app,  # noqa: ANN001
    cast,  # noqa: ANN001
    role: str,
) -> None:
    client = _signed_in(probed_app, getattr(cast, role))
    with client:
        html = client.get("/bench-probe/").get_data(as_text=True)
        shown_by_fab = _menu_as_fab_shows_it(probed_app)
    pages, _ = discovery.navbar_pages(probed_app, html)
    found = {page.path for page in pages}

    assert "/bench-probe/" in found
    assert shown_by_fab <= found, shown_by_fab - found


def test_bench_leaves_out_only_what_is_not_a_page(probed_app, cast) -> None:  # noqa: ANN001
    client = _signed_in(probed_app, cast.staff)
    html = client.get("/bench-probe/").get_data(as_text=True)
    pages, left_out = discovery.navbar_pages(probed_app, html)
    found = {page.path for page in pages}

    left_paths = {link.path for link, _ in left_out}
    assert "/logout/" in left_paths and "/logout/" not in found
    assert all(path == "#" or path in ("/logout/",) or "/lang/" in path for path in left_paths)
    # The bell and the profile are in the navbar too, and so in the benchmark.
    assert {"/notifikasi/", "/users/userinfo/"} <= found


def test_bench_reads_every_rest_list_and_report_a_role_may_read(probed_app, cast) -> None:  # noqa: ANN001
    from app.reports.laporan import REPORTS

    admin_lists = {r.name for r in discovery.rest_lists(probed_app, cast.admin)}
    staff_lists = {r.name for r in discovery.rest_lists(probed_app, cast.staff)}
    every_report = {f"{jenis}.{ext}" for jenis, r in REPORTS.items() for ext in r.writers}

    assert {"pegawai", "skp", "penilaian", "audit_log"} <= admin_lists
    assert "pegawai" in staff_lists and "audit_log" not in staff_lists
    assert {r.name for r in discovery.reports(probed_app, cast.admin)} == every_report
    assert {r.name for r in discovery.reports(probed_app, cast.atasan)} == every_report
    assert discovery.reports(probed_app, cast.staff) == []
