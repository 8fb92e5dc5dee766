"""The same rules through the REST API, over generated input (Hypothesis, bounded): whatever
a client sends as ratings, a target, a birth date, a NIP or period dates, the answer is the
rule's (200/201 when it holds, 4xx with a message when not), never a 500, and what is stored
is what the rule says."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.domain import scoring
from tests.conftest import PASSWORD, pegawai_id
from tests.factories import approved_evaluations, fill_realisasi, new_chain, skp_with_rhk

API = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
JUNK = st.one_of(
    st.none(),
    st.integers(),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["DI_ATAS", "diatas", " sesuai", "baik"]),
)


class Client:
    """One JWT per username for the module (Hypothesis reruns the test body many times)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._tokens: dict[str, dict[str, str]] = {}

    def __call__(self, username: str, method: str, path: str, body: Any = None) -> Any:
        if username not in self._tokens:
            response = self.app.test_client().post(
                "/api/v1/security/login",
                json={"username": username, "password": PASSWORD, "provider": "db"},
            )
            token = response.get_json()["access_token"]
            self._tokens[username] = {"Authorization": f"Bearer {token}"}
        client = self.app.test_client()
        return getattr(client, method)(path, json=body, headers=self._tokens[username])


@pytest.fixture(scope="module")
def client(app) -> Client:  # noqa: ANN001
    return Client(app)


@pytest.fixture(scope="module")
def submitted(app, client):  # noqa: ANN001, ANN201
    """A chain whose staff submitted tw1: the atasan may rate it again and again."""
    people, rows = approved_evaluations(app)
    fill_realisasi(app, rows["tw1"])
    assert (
        client(people.staff, "post", f"/api/v1/penilaian/{rows['tw1']}/submit").status_code == 200
    )
    return people, rows["tw1"]


@API
@given(st.one_of(st.sampled_from(sorted(scoring.RATINGS)), JUNK),
       st.one_of(st.sampled_from(sorted(scoring.RATINGS)), JUNK))  # fmt: skip
@example(["di_atas"], "sesuai")  # a list reached `value in dict`: a 500 once
def test_any_rating_pair_gives_the_matrix_predikat_or_a_422(client, submitted, hasil, perilaku):
    people, penilaian_id = submitted
    body = {"rating_hasil_kerja": hasil, "rating_perilaku_kerja": perilaku}
    response = client(people.atasan, "post", f"/api/v1/penilaian/{penilaian_id}/rate", body)
    if all(isinstance(r, str) and r in scoring.RATINGS for r in (hasil, perilaku)):
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["predikat"] == scoring.predikat(hasil, perilaku)
    else:
        assert response.status_code == 422, (body, response.status_code)
        assert response.get_json()["message"]


@pytest.fixture(scope="module")
def draft_indikator(app, client):  # noqa: ANN001, ANN201
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    people = new_chain(app)
    _, rhk_id = skp_with_rhk(app, people.staff, "Arsip")
    with app.app_context():
        indikator_id = (
            db.session.query(IndikatorKinerja.id).filter_by(rencana_hasil_kerja_id=rhk_id).scalar()
        )
    return people, indikator_id


TARGETS = st.one_of(
    st.integers(min_value=-(10**13), max_value=10**13),
    st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e13, max_value=1e13),
    st.text(max_size=8),
)


@API
@given(TARGETS)
def test_an_indikator_target_is_stored_exactly_when_above_zero_and_it_fits(
    app, client, draft_indikator, target
):
    from app.extensions import db
    from app.models.skp import IndikatorKinerja

    people, indikator_id = draft_indikator
    with app.app_context():
        before = db.session.get(IndikatorKinerja, indikator_id).target
    response = client(
        people.staff, "put", f"/api/v1/indikator_kinerja/{indikator_id}", {"target": target}
    )
    assert response.status_code < 500, (target, response.status_code)
    with app.app_context():
        stored = db.session.get(IndikatorKinerja, indikator_id).target
    fits = isinstance(target, (int, float, Decimal)) and 0 < Decimal(str(target)) < Decimal("1e12")
    if response.status_code == 200:
        assert stored > 0 and stored < Decimal("1e12")
        assert stored == Decimal(str(target)).quantize(Decimal("0.01"))
    else:
        assert response.status_code in (400, 422)
        assert stored == before
        assert not fits or Decimal(str(target)).quantize(Decimal("0.01")) <= 0


@pytest.fixture(scope="module")
def someone(app):  # noqa: ANN001, ANN201
    """A pegawai whose NIP encodes a birth date (factories: born 2001 or later)."""
    from app.domain.nip import parse_nip

    people = new_chain(app)
    return pegawai_id(app, people.colleague), parse_nip(people.colleague).tanggal_lahir


@API
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)))
def test_a_birth_date_is_accepted_exactly_when_it_is_the_nip_s(client, someone, lahir):
    pid, nip_date = someone
    response = client(
        "admin", "put", f"/api/v1/pegawai/{pid}", {"tanggal_lahir": lahir.isoformat()}
    )
    if lahir == nip_date:
        assert response.status_code == 200, response.get_json()
    else:
        assert response.status_code == 422, response.status_code
        assert response.get_json()["message"]


@API
@given(st.text(alphabet="0123456789", min_size=17, max_size=19))
def test_a_new_pegawai_s_nip_is_checked_like_the_rule(app, client, raw):
    from app.domain.errors import InvalidNip
    from app.domain.nip import parse_nip

    try:
        parse_nip(raw)
        valid = True
    except InvalidNip:
        valid = False
    body = {"nip": raw, "nama": "Uji Properti", "jenis_asn": "pns", "unit_kerja_id": 1}
    response = client("admin", "post", "/api/v1/pegawai/", body)
    if response.status_code == 201:
        client("admin", "delete", f"/api/v1/pegawai/{response.get_json()['id']}")
        assert valid
    else:
        # a valid NIP may still be someone's already (409/422), never a 500
        assert response.status_code in (409, 422), response.status_code
        assert valid or response.get_json()["message"]


@API
@given(
    st.integers(min_value=2400, max_value=2999),
    st.dates(min_value=date(2399, 6, 1), max_value=date(3000, 6, 30)),
    st.dates(min_value=date(2399, 6, 1), max_value=date(3000, 6, 30)),
)
def test_a_periode_is_created_exactly_when_its_dates_are_in_order_and_in_its_year(
    client, tahun, mulai, selesai
):
    body = {
        "tahun": tahun,
        "jenis": "tahunan",
        "tanggal_mulai": mulai.isoformat(),
        "tanggal_selesai": selesai.isoformat(),
        "aktif": False,
    }
    response = client("admin", "post", "/api/v1/periode/", body)
    valid = mulai <= selesai and mulai.year == tahun
    if response.status_code == 201:
        client("admin", "delete", f"/api/v1/periode/{response.get_json()['id']}")
    assert response.status_code == (201 if valid else 422), (body, response.get_json())
