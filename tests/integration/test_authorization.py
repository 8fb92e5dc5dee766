"""The authorization matrix: every role against every way of reaching a pegawai record it must
not see, plus the admin-only audit trail and master data writes.

Scope rules (DOMAIN.md, Actors; ARCHITECTURE.md rule 4): a pegawai sees only themselves; an
atasan also their direct subordinates; a pimpinan OPD their OPD's subtree; admin BKPSDM all.
A row outside the scope answers 404, a missing permission 403 — never the row's content.

The tables are the test: a new route is one line in PROBES (or WRITES), a new role one entry
in ROLES/HIDDEN/VISIBLE.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Jabatan, Pegawai, UnitKerja
from tests.conftest import PASSWORD

CAST = ("pimpinan", "atasan", "staff", "other_staff", "outsider", "outsider_atasan")
ROLES = ("staff", "atasan", "pimpinan", "admin")
NON_ADMIN = ROLES[:3]

HIDDEN = {
    "staff": ("other_staff", "atasan", "pimpinan", "outsider", "outsider_atasan"),
    "atasan": ("pimpinan", "outsider", "outsider_atasan"),
    "pimpinan": ("outsider", "outsider_atasan"),
    "admin": (),
}
VISIBLE = {
    "staff": ("staff",),
    "atasan": ("atasan", "staff", "other_staff"),
    "pimpinan": ("pimpinan", "atasan", "staff", "other_staff"),
    "admin": CAST,
}
# Each viewer's own row names their atasan (name and NIP): a reference, not access to the record.
OWN_ATASAN = {"staff": "atasan", "atasan": "pimpinan"}


@dataclass(frozen=True)
class Probe:
    """One way of reaching a record by id, and the answers allowed when it is out of scope."""

    name: str
    via: str  # "html" (session cookie) or "api" (JWT)
    method: str
    url: str
    form: dict[str, str] | None = None
    allowed: tuple[int, ...] = (403, 404)


PROBES = [
    Probe("html-show", "html", "get", "/pegawaiview/show/{id}", allowed=(404,)),
    Probe("html-edit-form", "html", "get", "/pegawaiview/edit/{id}"),
    Probe("html-edit", "html", "post", "/pegawaiview/edit/{id}", {"nama": "Diubah Orang Lain"}),
    Probe("html-delete", "html", "post", "/pegawaiview/delete/{id}"),
    Probe(
        "html-bulk-action",
        "html",
        "post",
        "/pegawaiview/action_post",
        {"action": "create_account", "rowid": "{id}"},
    ),
    Probe("html-single-action", "html", "post", "/pegawaiview/action/create_account/{id}"),
    Probe("api-get", "api", "get", "/api/v1/pegawai/{id}", allowed=(404,)),
    Probe("api-put", "api", "put", "/api/v1/pegawai/{id}", {"nama": "Diubah"}, (403, 404, 405)),
    Probe("api-delete", "api", "delete", "/api/v1/pegawai/{id}", allowed=(403, 404, 405)),
]

HIDDEN_CASES = [(role, target) for role in ROLES for target in HIDDEN[role]]
VISIBLE_CASES = [(role, target) for role in ROLES for target in VISIBLE[role]]


class Signed:
    """One signed-in browser session and one JWT per role, shared by the module (logging in
    costs a password hash check; every probe below is refused, so sharing is safe)."""

    def __init__(self, app: Any, cast: Any) -> None:
        self.app, self.cast = app, cast
        self._html: dict[str, Any] = {}
        self._api: dict[str, tuple[Any, dict[str, str]]] = {}

    def username(self, role: str) -> str:
        return getattr(self.cast, role)

    def html(self, role: str) -> Any:
        if role not in self._html:
            client = self.app.test_client()
            response = client.post(
                "/login/", data={"username": self.username(role), "password": PASSWORD}
            )
            assert response.status_code == 302
            self._html[role] = client
        return self._html[role]

    def api(self, role: str) -> tuple[Any, dict[str, str]]:
        if role not in self._api:
            client = self.app.test_client()
            response = client.post(
                "/api/v1/security/login",
                json={"username": self.username(role), "password": PASSWORD, "provider": "db"},
            )
            token = response.get_json()["access_token"]
            self._api[role] = (client, {"Authorization": f"Bearer {token}"})
        return self._api[role]

    def call(self, role: str, via: str, method: str, url: str, form: Any = None) -> Any:
        if via == "html":
            return getattr(self.html(role), method)(url, data=form)
        client, headers = self.api(role)
        return getattr(client, method)(url, json=form, headers=headers)


@pytest.fixture(scope="module")
def signed(app, cast) -> Signed:  # noqa: ANN001
    return Signed(app, cast)


@pytest.fixture(scope="module")
def people(app, cast) -> dict[str, tuple[int, str]]:  # noqa: ANN001
    """cast member → (pegawai id, NIP)."""
    with app.app_context():
        nips = {name: getattr(cast, name) for name in CAST}
        rows = db.session.execute(
            select(Pegawai.nip, Pegawai.id).where(Pegawai.nip.in_(nips.values()))
        )
        ids = dict(rows.all())
    return {name: (ids[nip], nip) for name, nip in nips.items()}


def snapshot(app, pegawai_id: int) -> tuple | None:  # noqa: ANN001
    with app.app_context():
        row = db.session.execute(
            select(Pegawai.nama, Pegawai.user_id, Pegawai.atasan_id, Pegawai.version_id).where(
                Pegawai.id == pegawai_id
            )
        ).one_or_none()
        return tuple(row) if row else None


def fill(value: Any, pegawai_id: int) -> Any:
    if isinstance(value, str):
        return value.format(id=pegawai_id)
    if isinstance(value, dict):
        return {key: fill(item, pegawai_id) for key, item in value.items()}
    return value


# --- pegawai records out of scope --------------------------------------------------------


@pytest.mark.parametrize("probe", PROBES, ids=[probe.name for probe in PROBES])
@pytest.mark.parametrize(("role", "target"), HIDDEN_CASES)
def test_role_cannot_reach_a_pegawai_outside_its_scope(app, signed, people, role, target, probe):
    pegawai_id, nip = people[target]
    before = snapshot(app, pegawai_id)
    response = signed.call(
        role, probe.via, probe.method, fill(probe.url, pegawai_id), fill(probe.form, pegawai_id)
    )
    assert response.status_code in probe.allowed
    assert nip not in response.get_data(as_text=True)
    assert snapshot(app, pegawai_id) == before


@pytest.mark.parametrize(("role", "target"), VISIBLE_CASES)
def test_role_sees_a_pegawai_inside_its_scope(signed, people, role, target):
    pegawai_id, nip = people[target]
    page = signed.call(role, "html", "get", f"/pegawaiview/show/{pegawai_id}")
    assert page.status_code == 200
    assert nip in page.get_data(as_text=True)
    record = signed.call(role, "api", "get", f"/api/v1/pegawai/{pegawai_id}")
    assert record.status_code == 200
    assert record.get_json()["result"]["nip"] == nip


@pytest.mark.parametrize(("role", "target"), HIDDEN_CASES + VISIBLE_CASES)
def test_searching_the_list_by_nip_finds_only_pegawai_in_scope(signed, people, role, target):
    pegawai_id, nip = people[target]
    html = signed.call(role, "html", "get", f"/pegawaiview/list/?_flt_0_nip={nip}").get_data(
        as_text=True
    )
    assert (f'href="/pegawaiview/show/{pegawai_id}"' in html) == (target in VISIBLE[role])


@pytest.mark.parametrize("role", NON_ADMIN)
def test_list_page_names_no_pegawai_outside_the_scope(signed, people, role):
    response = signed.call(role, "html", "get", "/pegawaiview/list/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for target in HIDDEN[role]:
        if target != OWN_ATASAN.get(role):
            assert people[target][1] not in html, target


def scope_size(app, role: str, people: dict[str, tuple[int, str]]) -> int:  # noqa: ANN001
    """How many pegawai the role may see, by walking the org chart in Python."""
    with app.app_context():
        pegawai = db.session.execute(
            select(Pegawai.id, Pegawai.atasan_id, Pegawai.pejabat_penilai_id, Pegawai.unit_kerja_id)
        ).all()
        if role == "admin":
            return len(pegawai)
        parent_of = dict(db.session.execute(select(UnitKerja.id, UnitKerja.parent_id)).all())
        headed = set(
            db.session.execute(
                select(UnitKerja.id).where(UnitKerja.kepala_id == people[role][0])
            ).scalars()
        )
    me = people[role][0]
    root = next(unit for unit, parent in parent_of.items() if parent is None)
    opds = {unit for unit in headed if parent_of[unit] == root}

    def in_opd(unit: int | None) -> bool:
        while unit is not None:
            if unit in opds:
                return True
            unit = parent_of[unit]
        return False

    return sum(
        1
        for pid, atasan, penilai, unit in pegawai
        if pid == me or me in (atasan, penilai) or in_opd(unit)
    )


@pytest.mark.parametrize("role", ROLES)
def test_api_list_counts_exactly_the_scope(app, signed, people, role):
    response = signed.call(role, "api", "get", "/api/v1/pegawai/?q=(page_size:100)")
    assert response.status_code == 200
    body = response.get_json()
    assert body["count"] == scope_size(app, role, people)
    hidden_ids = {people[target][0] for target in HIDDEN[role]}
    assert not hidden_ids & set(body["ids"])


# --- related pickers ---------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_ADMIN)
@pytest.mark.parametrize("url", ["/pegawaiview/add", "/pegawaiview/edit/{id}"])
def test_non_admin_gets_no_pegawai_form_and_so_no_atasan_dropdown(signed, people, role, url):
    response = signed.call(role, "html", "get", url.format(id=people[role][0]))
    assert response.status_code == 403
    assert people["outsider"][1] not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_api_info_lists_no_pegawai_outside_the_scope(signed, people, role):
    response = signed.call(role, "api", "get", "/api/v1/pegawai/_info")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert not [target for target in HIDDEN[role] if people[target][1] in text]


def picked_nips(signed: Signed, role: str, term: str) -> set[str]:
    """The NIPs the pegawai picker offers ``role`` for ``term`` (first page)."""
    response = signed.call(role, "html", "get", f"/pegawaiview/pilih?q={term}")
    assert response.status_code == 200
    return {row["text"][-19:-1] for row in response.get_json()["results"]}


def test_admin_atasan_picker_offers_pegawai_of_every_opd(signed, people):
    assert people["outsider"][1] in picked_nips(signed, "admin", people["outsider"][1])
    assert people["staff"][1] in picked_nips(signed, "admin", people["staff"][1])


@pytest.mark.parametrize(("role", "target"), HIDDEN_CASES + VISIBLE_CASES)
def test_the_pegawai_picker_finds_only_pegawai_in_scope(signed, people, role, target):
    nip = people[target][1]
    assert (nip in picked_nips(signed, role, nip)) == (target in VISIBLE[role])


# --- actions on ids that do not resolve ----------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [{"action": "create_account", "rowid": "999999"}, {"action": "no_such_action", "rowid": "1"}],
    ids=["unknown-row", "unknown-action"],
)
def test_admin_bulk_action_on_nothing_answers_404(signed, form):
    assert signed.call("admin", "html", "post", "/pegawaiview/action_post", form).status_code == 404


# --- the audit trail ---------------------------------------------------------------------


AUDIT_READS = [
    Probe("html-list", "html", "get", "/auditlogview/list/"),
    Probe("html-show", "html", "get", "/auditlogview/show/{id}"),
    Probe("api-list", "api", "get", "/api/v1/audit_log/"),
    Probe("api-get", "api", "get", "/api/v1/audit_log/{id}"),
    Probe("api-info", "api", "get", "/api/v1/audit_log/_info"),
]


@pytest.fixture(scope="module")
def audit_row(app) -> tuple[int, str]:  # noqa: ANN001
    with app.app_context():
        row = db.session.execute(select(AuditLog.id, AuditLog.hash).order_by(AuditLog.id)).first()
        return row.id, row.hash


@pytest.mark.parametrize("probe", AUDIT_READS, ids=[probe.name for probe in AUDIT_READS])
@pytest.mark.parametrize("role", NON_ADMIN)
def test_audit_trail_is_closed_to_everyone_but_admin(signed, audit_row, role, probe):
    audit_id, audit_hash = audit_row
    response = signed.call(role, probe.via, probe.method, fill(probe.url, audit_id))
    assert response.status_code in (302, 401, 403, 404)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
    assert audit_hash not in response.get_data(as_text=True)


@pytest.mark.parametrize("probe", AUDIT_READS, ids=[probe.name for probe in AUDIT_READS])
def test_admin_reads_the_audit_trail(signed, audit_row, probe):
    audit_id, _ = audit_row
    response = signed.call("admin", probe.via, probe.method, fill(probe.url, audit_id))
    assert response.status_code == 200


@pytest.mark.parametrize("method", ["put", "delete"])
@pytest.mark.parametrize("role", ROLES)
def test_audit_trail_api_answers_405_to_changes(signed, audit_row, role, method):
    response = signed.call(role, "api", method, f"/api/v1/audit_log/{audit_row[0]}", {"ip": "x"})
    assert response.status_code == 405


# --- master data writes ------------------------------------------------------------------

MARK = "Uji Tanpa Hak"
WRITES = [
    Probe("api-post-unit_kerja", "api", "post", "/api/v1/unit_kerja/",
          {"kode": "UJI-NOAUTH", "nama": MARK, "jenis": "bidang", "parent_id": 1}),
    Probe("api-post-jabatan", "api", "post", "/api/v1/jabatan/",
          {"nama": MARK, "jenis": "pelaksana"}),
    Probe("api-post-pangkat", "api", "post", "/api/v1/pangkat/",
          {"kode": "X/x", "nama": MARK, "jenis_asn": "pns", "urutan": 99}),
    Probe("api-post-periode", "api", "post", "/api/v1/periode/",
          {"tahun": 2095, "jenis": "tahunan", "tanggal_mulai": "2095-01-01",
           "tanggal_selesai": "2095-12-31", "aktif": False}),
    Probe("api-post-pegawai", "api", "post", "/api/v1/pegawai/",
          {"nip": "200101012020011999", "nama": MARK, "jenis_asn": "pns", "unit_kerja_id": 1}),
    Probe("api-put-unit_kerja", "api", "put", "/api/v1/unit_kerja/1", {"nama": MARK}),
    Probe("api-put-jabatan", "api", "put", "/api/v1/jabatan/1", {"nama": MARK}),
    Probe("api-delete-jabatan", "api", "delete", "/api/v1/jabatan/1"),
    Probe("html-add-unit_kerja", "html", "post", "/unitkerjaview/add",
          {"kode": "UJI-NOAUTH", "nama": MARK, "jenis": "bidang", "parent": "1"}),
    Probe("html-edit-unit_kerja", "html", "post", "/unitkerjaview/edit/1", {"nama": MARK}),
    Probe("html-add-jabatan", "html", "post", "/jabatanview/add",
          {"nama": MARK, "jenis": "pelaksana"}),
    Probe("html-add-pegawai", "html", "post", "/pegawaiview/add",
          {"nip": "200101012020011999", "nama": MARK, "jenis_asn": "pns", "unit_kerja": "1"}),
]  # fmt: skip


def marked_rows(app) -> int:  # noqa: ANN001
    with app.app_context():
        return sum(
            len(db.session.execute(select(model.id).where(model.nama == MARK)).all())
            for model in (UnitKerja, Jabatan, Pegawai)
        )


@pytest.mark.parametrize("probe", WRITES, ids=[probe.name for probe in WRITES])
@pytest.mark.parametrize("role", NON_ADMIN)
def test_non_admin_cannot_write_master_data(app, signed, role, probe):
    response = signed.call(role, probe.via, probe.method, probe.url, probe.form)
    assert response.status_code == 403
    assert marked_rows(app) == 0


def test_anonymous_gets_no_pegawai_data(app, people):
    client = app.test_client()
    pegawai_id, nip = people["outsider"]
    for url in ("/pegawaiview/list/", f"/pegawaiview/show/{pegawai_id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get(f"/api/v1/pegawai/{pegawai_id}")
    assert response.status_code == 401
    assert nip not in response.get_data(as_text=True)
