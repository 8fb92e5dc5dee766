"""Notifikasi: each pegawai's own notices, newest first and paged, translated when read,
marked read one by one or all at once; and the unread badge in the navbar of every page,
which costs one query whatever the number of notices."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import pegawai_id, statements
from tests.factories import new_chain


def notify(app, nip: str, count: int = 1, tautan: str | None = "/skp/") -> list[int]:
    """``count`` notices for ``nip``, written as the use cases write them."""
    from app import audit
    from app.domain.enums import N_
    from app.extensions import db
    from app.services.notifikasi import notify as notify_service

    with app.app_context(), audit.attributed_to("tests:notifikasi"):
        recipient = pegawai_id(app, nip)
        made = [
            notify_service(
                db.session,
                recipient,
                "skp_disetujui",
                N_("Your SKP for %(tahun)s was approved."),
                tautan,
                tahun=2000 + n,
            )
            for n in range(count)
        ]
        db.session.commit()
        return [notice.id for notice in made]


def badge(html: str) -> int | None:
    found = re.search(r'id="notifikasi-badge">(\d+)<', html)
    return int(found.group(1)) if found else None


def read_at(app, notice_id: int):  # noqa: ANN201
    from app.extensions import db
    from app.models.monitoring import Notifikasi

    with app.app_context():
        return db.session.execute(
            select(Notifikasi.dibaca_pada).where(Notifikasi.id == notice_id)
        ).scalar_one()


# Any page shows the badge; FAB's own profile page keeps these tests independent of ours.
PROFILE = "/users/userinfo/"


@pytest.fixture()
def people(app):
    return new_chain(app)


def test_badge_in_the_navbar_counts_unread_and_drops_after_mark_as_read(app, login, people):
    first, second, _ = notify(app, people.staff, 3)
    client = login(people.staff)

    assert badge(client.get(PROFILE).get_data(as_text=True)) == 3
    assert badge(client.get("/notifikasi/").get_data(as_text=True)) == 3

    response = client.post(f"/notifikasi/{first}/baca")
    assert response.status_code == 302
    assert read_at(app, first) is not None and read_at(app, second) is None
    assert badge(client.get(PROFILE).get_data(as_text=True)) == 2

    client.post("/notifikasi/baca-semua")
    html = client.get(PROFILE).get_data(as_text=True)
    assert badge(html) is None and 'id="navbar-notifikasi"' in html


def test_list_shows_only_own_notices_newest_first_with_parameters(app, login, people):
    notify(app, people.atasan, 1)
    notify(app, people.staff, 2)

    html = login(people.staff).get("/notifikasi/").get_data(as_text=True)

    items = re.findall(r'id="notifikasi-(\d+)"', html)
    assert len(items) == 2
    assert [int(i) for i in items] == sorted((int(i) for i in items), reverse=True)
    assert html.index("2001") < html.index("2000")  # the parameter is filled in, newest first


def test_list_is_paged(app, login, people):
    notify(app, people.colleague, 25)
    client = login(people.colleague)

    first = client.get("/notifikasi/").get_data(as_text=True)
    second = client.get("/notifikasi/?halaman=2").get_data(as_text=True)

    assert len(re.findall(r'id="notifikasi-\d+"', first)) == 20
    assert len(re.findall(r'id="notifikasi-\d+"', second)) == 5
    assert "halaman=2" in first


def test_opening_a_notice_marks_it_read_and_follows_its_link(app, login, people):
    (notice,) = notify(app, people.staff, 1, tautan="/skp/42")
    (outside,) = notify(app, people.staff, 1, tautan="https://contoh.invalid/")
    client = login(people.staff)

    response = client.post(f"/notifikasi/{notice}/buka")
    elsewhere = client.post(f"/notifikasi/{outside}/buka")

    assert response.status_code == 302 and response.headers["Location"].endswith("/skp/42")
    assert read_at(app, notice) is not None
    assert elsewhere.headers["Location"].endswith("/notifikasi/")  # no open redirect


def test_nobody_marks_or_opens_anothers_notice(app, login, people):
    (notice,) = notify(app, people.staff, 1)
    client = login(people.atasan)  # the staff member's own atasan: still not theirs to read

    assert client.post(f"/notifikasi/{notice}/baca").status_code == 404
    assert client.post(f"/notifikasi/{notice}/buka").status_code == 404
    client.post("/notifikasi/baca-semua")
    assert read_at(app, notice) is None
    assert f'id="notifikasi-{notice}"' not in client.get("/notifikasi/").get_data(as_text=True)


def test_badge_costs_one_query_whatever_the_number_of_notices(app, login, people):
    client = login(people.staff)
    notify(app, people.staff, 2)
    client.get(PROFILE)  # warm the caches a first request fills

    with statements(app) as few:
        assert badge(client.get(PROFILE).get_data(as_text=True)) is not None
    notify(app, people.staff, 40)
    with statements(app) as many:
        assert badge(client.get(PROFILE).get_data(as_text=True)) is not None

    assert len(many) == len(few)
    assert len([s for s in many if "notifikasi" in s.lower()]) == 1


def test_anonymous_pages_have_no_bell(app):
    html = app.test_client().get("/login/").get_data(as_text=True)

    assert 'id="navbar-notifikasi"' not in html


def test_a_notice_is_read_in_the_readers_language(app, login, people):
    """Stored as its message key and parameters, a notice is worded when it is shown:
    Indonesian by default, English once the reader chooses English."""
    from app.extensions import db
    from app.models.monitoring import Notifikasi

    (notice,) = notify(app, people.colleague, 1)
    with app.app_context():
        stored = db.session.get(Notifikasi, notice)
        assert (stored.pesan, stored.parameter) == (
            "Your SKP for %(tahun)s was approved.",
            {"tahun": 2000},
        )
    client = login(people.colleague)

    indonesian = client.get("/notifikasi/").get_data(as_text=True)
    client.get("/lang/en")
    english = client.get("/notifikasi/").get_data(as_text=True)

    assert "SKP Anda tahun 2000 telah disetujui." in indonesian
    assert "Your SKP for 2000 was approved." not in indonesian
    assert "Your SKP for 2000 was approved." in english
    assert "SKP Anda tahun 2000 telah disetujui." not in english


def test_a_date_in_a_notice_reads_as_the_reader_writes_dates(app, login, people):
    """A transfer's notice names its date: stored as a date (or day-month-year, as older
    notices hold it), read as "1 Oktober 2026" in Indonesian and "1 October 2026" in English."""
    from app import audit
    from app.domain.enums import N_
    from app.extensions import db
    from app.services.notifikasi import notify as notify_service

    pesan = N_(
        "You were transferred to %(jabatan)s, %(unit)s as of %(tanggal)s: draw up the "
        "SKP of your new post."
    )
    with app.app_context(), audit.attributed_to("tests:notifikasi"):
        for tanggal in ("2026-10-01", "01-09-2026"):
            notify_service(
                db.session,
                pegawai_id(app, people.boss),
                "mutasi",
                pesan,
                "/skp/",
                jabatan="Analis Uji",
                unit="Bidang Uji",
                tanggal=tanggal,
            )
        db.session.commit()
    client = login(people.boss)

    indonesian = client.get("/notifikasi/").get_data(as_text=True)
    client.get("/lang/en")
    english = client.get("/notifikasi/").get_data(as_text=True)

    assert "1 Oktober 2026" in indonesian and "1 September 2026" in indonesian
    assert "1 October 2026" in english and "1 September 2026" in english
    assert not re.search(r"2026-10-01|01-09-2026", indonesian + english)
