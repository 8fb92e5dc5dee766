"""Kepatuhan: who has not drawn up, submitted, had approved or had evaluated what the cycle
asks, grouped by OPD and pejabat penilai, paginated and scoped; reminders to whoever must act,
one notice per person and at most one a day, e-mailed through the notification path, and
refused to atasan and pegawai."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.audit import AuditLog
from app.models.master import Pegawai, Periode, UnitKerja
from app.models.monitoring import Notifikasi
from app.security.scope import Viewer, is_opd_path
from app.services import kepatuhan
from app.services import periode as periode_service
from app.services.cakupan import Cakupan
from app.services.paging import PER_HALAMAN
from tests.conftest import PASSWORD, make_app, statements
from tests.factories import (
    approved_evaluations,
    chain_with_submitted_skps,
    fill_realisasi,
    new_chain,
    skp_with_rhk,
    viewer_of,
)

URL = "/kepatuhan/"
ADMIN = Viewer(user_id=None, is_admin=True)
SEND = "/kepatuhan/kirim"
CONFIRM = "/kepatuhan/pengingat"


# --- reading the page --------------------------------------------------------------------


def listed(html: str) -> list[dict[str, str]]:
    table = html.split('id="kepatuhan-daftar"', 1)[1].split("</table>", 1)[0]
    return [
        {"nip": nip, "kategori": kategori, "periode_id": periode_id, "menunggu": menunggu}
        for nip, kategori, periode_id, menunggu in re.findall(
            r'<tr class="butir" data-nip="(\d+)" data-kategori="(\w+)" '
            r'data-periode-id="(\d*)" data-menunggu="(\w+)">',
            table,
        )
    ]


def panel(html: str) -> tuple[int, int]:
    """(people the selection would remind, of whom already reminded today)."""
    found = re.search(r'id="kepatuhan-pengingat" data-penerima="(\d+)" data-sudah="(\d+)"', html)
    return int(found.group(1)), int(found.group(2))


def listed_total(html: str) -> int:
    return int(re.search(r'id="kepatuhan-daftar" data-total="(\d+)"', html).group(1))


def unit_of(app, nip: str) -> int:
    with app.app_context():
        return db.session.execute(
            select(Pegawai.unit_kerja_id).where(Pegawai.nip == nip)
        ).scalar_one()


def ids_of(app, *nips: str) -> dict[str, int]:
    with app.app_context():
        return dict(
            db.session.execute(select(Pegawai.nip, Pegawai.id).where(Pegawai.nip.in_(nips))).all()
        )


def sekda_nip(app) -> str:
    with app.app_context():
        return db.session.execute(
            select(Pegawai.nip)
            .join(UnitKerja, UnitKerja.kepala_id == Pegawai.id)
            .where(UnitKerja.kode == "SETDA")
        ).scalar_one()


def reminders(app, *penerima_ids: int) -> Counter:
    """Reminder notices per recipient."""
    with app.app_context():
        query = select(Notifikasi.penerima_id).where(Notifikasi.jenis == kepatuhan.JENIS_PENGINGAT)
        if penerima_ids:
            query = query.where(Notifikasi.penerima_id.in_(penerima_ids))
        return Counter(db.session.execute(query).scalars())


# --- data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chain(app):
    """boss and atasan submitted, the staff's SKP a draft, the colleague with none."""
    people, atasan_rhk = chain_with_submitted_skps(app)
    skp_with_rhk(app, people.staff, "Arsip tertata", intervensi_id=atasan_rhk)
    return people


# --- the list ----------------------------------------------------------------------------


def test_lists_each_person_with_what_they_lack_and_who_must_act(app, login, chain):
    html = (
        login("admin")
        .get(f"{URL}?unit_kerja_id={unit_of(app, chain.staff)}")
        .get_data(as_text=True)
    )
    rows = {(r["nip"], r["kategori"], r["menunggu"]) for r in listed(html)}
    assert rows == {
        (chain.boss, kepatuhan.BELUM_DISETUJUI, kepatuhan.ATASAN),
        (chain.atasan, kepatuhan.BELUM_DISETUJUI, kepatuhan.ATASAN),
        (chain.staff, kepatuhan.BELUM_MENGAJUKAN, kepatuhan.PEGAWAI),
        (chain.colleague, kepatuhan.BELUM_MENYUSUN, kepatuhan.PEGAWAI),
    }
    # Grouped by pejabat penilai: the atasan's SKP under the boss, the boss's under the Sekda.
    groups = re.findall(r'class="kelompok-atasan"><td colspan="7"><em>[^<]*\((\d+)\)', html)
    assert sekda_nip(app) in groups and chain.boss in groups and chain.atasan in groups


def test_kategori_filter_narrows_the_list(app, login, chain):
    unit = unit_of(app, chain.staff)
    html = (
        login("admin")
        .get(f"{URL}?unit_kerja_id={unit}&kategori={kepatuhan.BELUM_DISETUJUI}")
        .get_data(as_text=True)
    )
    assert {r["nip"] for r in listed(html)} == {chain.boss, chain.atasan}


def test_evaluations_of_ended_periods_are_listed_by_who_must_act(app):
    """On the day after the year ends, every periode of it has ended: the staff owes the
    realisasi of each, except the first quarter, which waits on the atasan's rating."""
    people, evaluations = approved_evaluations(app)
    fill_realisasi(app, evaluations["tw1"])
    from app.services import penilaian as penilaian_service

    with app.test_request_context():
        penilaian_service.submit(db.session, evaluations["tw1"], viewer_of(app, people.staff))
        db.session.commit()
    with app.test_request_context():
        periods = kepatuhan.periode_choices(db.session)
        year = periode_service.active_annual(periods)
        unit = db.session.get(UnitKerja, unit_of(app, people.staff))
        after = dt.date(year.tahun + 1, 1, 1)
        cover = kepatuhan.kewajiban_of(periods, Cakupan.of(periods, year, unit), after)
        assert {p.jenis for p in cover.jatuh_tempo} == {"tw1", "tw2", "tw3", "tw4", "tahunan"}
        page = kepatuhan.halaman(db.session, ADMIN, cover, kepatuhan.BELUM_DINILAI, 1)
        jenis = {p.id: p.jenis for p in periods}
        rows = {(r.nip, jenis[r.periode_id], r.menunggu) for r in page.rows}
        # A quarter chosen instead of the year: only that periode counts.
        tw2 = next(p for p in periods if p.tahun == year.tahun and p.jenis == "tw2")
        only_tw2 = kepatuhan.halaman(
            db.session,
            ADMIN,
            kepatuhan.kewajiban_of(periods, Cakupan.of(periods, tw2, unit), after),
            kepatuhan.BELUM_DINILAI,
            1,
        )
        # Before the quarter ends nothing of it is due.
        before = kepatuhan.kewajiban_of(
            periods, Cakupan.of(periods, tw2, unit), tw2.tanggal_selesai
        )
    assert rows == {
        (people.staff, "tw1", kepatuhan.ATASAN),
        (people.staff, "tw2", kepatuhan.PEGAWAI),
        (people.staff, "tw3", kepatuhan.PEGAWAI),
        (people.staff, "tw4", kepatuhan.PEGAWAI),
        (people.staff, "tahunan", kepatuhan.PEGAWAI),
    }
    assert [(r.nip, jenis[r.periode_id]) for r in only_tw2.rows] == [(people.staff, "tw2")]
    assert before.jatuh_tempo == ()


def test_list_is_paginated_and_grouped_by_opd(app, login):
    client = login("admin")
    first = client.get(URL).get_data(as_text=True)
    total = listed_total(first)
    assert total > PER_HALAMAN
    assert len(listed(first)) == PER_HALAMAN
    second = client.get(f"{URL}?page=2").get_data(as_text=True)
    assert listed_total(second) == total
    assert listed(second) != listed(first)
    for html in (first, second):
        headings = re.findall(r'class="active kelompok-opd"><th colspan="6">([^<]*)<', html)
        assert len(headings) == len(set(headings)), "an OPD's rows are not together"
    last = (total - 1) // PER_HALAMAN + 1
    assert client.get(f"{URL}?page=999").get_data(as_text=True).count('class="butir"') == (
        total - (last - 1) * PER_HALAMAN
    )


def test_summary_per_unit_agrees_with_the_list(app, login, chain):
    """The per-unit counts of the chain's bidang are the kinds of its listed rows."""
    unit = unit_of(app, chain.staff)
    with app.app_context():
        parent = db.session.get(UnitKerja, unit).parent_id
    client = login("admin")
    html = client.get(f"{URL}?unit_kerja_id={parent}").get_data(as_text=True)
    row = re.search(rf'<tr data-unit-id="{unit}">(.*?)</tr>', html, re.S).group(1)
    shown = {k: int(v) for k, v in re.findall(r'data-kategori="(\w+)">(\d+)<', row)}
    listed_here = client.get(f"{URL}?unit_kerja_id={unit}").get_data(as_text=True)
    assert shown == {
        k: Counter(r["kategori"] for r in listed(listed_here))[k] for k in kepatuhan.KATEGORI
    }


# --- scope -------------------------------------------------------------------------------


def test_pimpinan_sees_only_their_opd(app, login, cast):
    with app.app_context():
        head = db.session.execute(select(Pegawai.id).where(Pegawai.nip == cast.pimpinan)).scalar()
        opd = db.session.execute(select(UnitKerja).where(UnitKerja.kepala_id == head)).scalars()
        opd = next(u for u in opd if is_opd_path(u.path))
        inside = set(
            db.session.execute(
                select(Pegawai.nip)
                .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
                .where(UnitKerja.path.startswith(opd.path))
            ).scalars()
        )
        units = {
            str(u)
            for u in db.session.execute(
                select(UnitKerja.id).where(UnitKerja.path.startswith(opd.path))
            ).scalars()
        }
    client = login(cast.pimpinan)
    html = client.get(URL).get_data(as_text=True)
    total = listed_total(html)
    seen = []
    for page in range(1, total // PER_HALAMAN + 2):
        seen += listed(client.get(f"{URL}?page={page}").get_data(as_text=True))
    assert len(seen) == total and {r["nip"] for r in seen} <= inside
    summary = html.split('id="kepatuhan-unit"', 1)[1].split("</table>", 1)[0]
    assert set(re.findall(r'<tr data-unit-id="(\d+)">', summary)) <= units
    assert cast.outsider not in html


def test_unit_of_another_opd_answers_404(app, login, cast):
    outsider_unit = unit_of(app, cast.outsider)
    with app.app_context():
        path = db.session.get(UnitKerja, outsider_unit).path
    outsider_opd = path.strip("/").split("/")[1]
    client = login(cast.pimpinan)
    before = reminders(app)
    for unit in (outsider_unit, outsider_opd):
        assert client.get(f"{URL}?unit_kerja_id={unit}").status_code == 404
        assert client.get(f"{CONFIRM}?unit_kerja_id={unit}").status_code == 404
        assert client.post(SEND, data={"unit_kerja_id": unit}).status_code == 404
    assert client.get(f"{URL}?periode_id=999999").status_code == 404
    assert reminders(app) == before


@pytest.mark.parametrize("who", ["atasan", "staff"])
def test_atasan_and_pegawai_can_neither_see_nor_send(app, login, cast, who):
    client = login(getattr(cast, who))
    before = reminders(app)
    assert client.get(URL).status_code == 403
    assert client.get(CONFIRM).status_code == 403
    assert client.post(SEND, data={}).status_code == 403
    assert reminders(app) == before
    assert 'href="/kepatuhan/"' not in client.get("/").get_data(as_text=True)


# --- reminders ---------------------------------------------------------------------------


def test_reminders_go_once_to_whoever_must_act_and_not_twice_a_day(app, login, chain):
    """The staff and the colleague for their own SKP; the boss for the atasan's SKP waiting
    on them; the Sekda for the boss's. The atasan owes nothing and waits on no one's action
    of theirs: no notice."""
    unit = unit_of(app, chain.staff)
    people = ids_of(app, chain.boss, chain.atasan, chain.staff, chain.colleague, sekda_nip(app))
    expected = {people[n] for n in (chain.boss, chain.staff, chain.colleague, sekda_nip(app))}
    before = reminders(app, *people.values())
    already = {p for p in expected if before[p]}  # reminded today by an earlier test
    client = login("admin")
    page = client.get(f"{URL}?unit_kerja_id={unit}").get_data(as_text=True)
    # The list links to the step before sending, which says whom it would reach.
    assert f"{CONFIRM}?" in page and "data-penerima" not in page
    confirm = client.get(f"{CONFIRM}?unit_kerja_id={unit}").get_data(as_text=True)
    assert panel(confirm) == (len(expected), len(already))
    assert f'action="{SEND}"' in confirm
    with app.app_context():
        audit_before = db.session.execute(
            select(func.count(AuditLog.id)).where(AuditLog.table_name == "notifikasi")
        ).scalar()

    response = client.post(SEND, data={"unit_kerja_id": unit}, follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    sent = len(expected - already)
    after = reminders(app, *people.values())
    assert {p: after[p] for p in people.values()} == {
        p: (1 if p in expected else 0) for p in people.values()
    }
    with app.app_context():
        audit_after = db.session.execute(
            select(func.count(AuditLog.id)).where(AuditLog.table_name == "notifikasi")
        ).scalar()
        notices = {
            n.penerima_id: n
            for n in db.session.execute(
                select(Notifikasi).where(
                    Notifikasi.jenis == kepatuhan.JENIS_PENGINGAT,
                    Notifikasi.penerima_id.in_(expected - already),
                )
            ).scalars()
        }
    assert audit_after - audit_before == sent
    if people[chain.staff] in notices:
        own = notices[people[chain.staff]]
        assert own.pesan == kepatuhan.PESAN_SENDIRI and own.parameter["sendiri"] == 1
    if people[chain.boss] in notices:
        boss = notices[people[chain.boss]]
        assert boss.pesan == kepatuhan.PESAN_BAWAHAN and boss.parameter["bawahan"] == 1
    # The step before sending now says when reminders went out; the list, whom each row's
    # reminder reached.
    confirm = client.get(f"{CONFIRM}?unit_kerja_id={unit}").get_data(as_text=True)
    assert panel(confirm) == (len(expected), len(expected))
    assert re.search(r'data-terakhir="\d{4}-\d\d-\d\dT', confirm)
    table = html.split('id="kepatuhan-daftar"', 1)[1].split("</table>", 1)[0]
    assert table.count('class="butir"') == 4 and table.count(" WIB</td>") == 4

    again = client.post(SEND, data={"unit_kerja_id": unit}, follow_redirects=True)
    assert again.status_code == 200
    assert reminders(app, *people.values()) == after


def test_pimpinan_reminds_only_within_their_opd_and_never_themself(app, login, cast):
    with app.app_context():
        head = db.session.execute(select(Pegawai).where(Pegawai.nip == cast.pimpinan)).scalar()
        opd = next(
            u
            for u in db.session.execute(
                select(UnitKerja).where(UnitKerja.kepala_id == head.id)
            ).scalars()
            if is_opd_path(u.path)
        )
        inside = set(
            db.session.execute(
                select(Pegawai.id)
                .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
                .where(UnitKerja.path.startswith(opd.path))
            ).scalars()
        )
        head_id, head_atasan = head.id, head.atasan_id
        started = db.session.execute(select(func.max(Notifikasi.id))).scalar() or 0
    response = login(cast.pimpinan).post(SEND, data={"kategori": kepatuhan.BELUM_MENYUSUN})
    assert response.status_code == 302
    with app.app_context():
        recipients = set(
            db.session.execute(
                select(Notifikasi.penerima_id).where(
                    Notifikasi.id > started, Notifikasi.jenis == kepatuhan.JENIS_PENGINGAT
                )
            ).scalars()
        )
    assert recipients and recipients <= inside
    assert head_id not in recipients and head_atasan not in recipients


def test_reminders_are_mailed_through_the_notification_path(app, login, monkeypatch):
    from app import mail

    sent: list = []
    monkeypatch.setattr(mail, "send", sent.extend)
    monkeypatch.setitem(app.config, "MAIL_ENABLED", True)
    people = new_chain(app)
    unit = unit_of(app, people.staff)
    response = login("admin").post(
        SEND, data={"unit_kerja_id": unit, "kategori": kepatuhan.BELUM_MENYUSUN}
    )
    assert response.status_code == 302
    # boss, atasan, staff, colleague: none has an SKP; each gets one mail.
    assert sorted(m.to for m in sent) == sorted(
        f"{nip}@test.invalid"
        for nip in (people.boss, people.atasan, people.staff, people.colleague)
    )
    assert all("/kinerja-saya/" in m.body for m in sent)


def test_sending_needs_the_csrf_token(app, database_url):
    """The sending page's form carries the token; a POST without it changes nothing."""
    guarded = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    login_page = client.get("/login/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    response = client.post(
        "/login/", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    before = reminders(app)
    assert client.post(SEND, data={"kategori": kepatuhan.BELUM_MENYUSUN}).status_code == 400
    assert reminders(app) == before
    page = client.get(CONFIRM).get_data(as_text=True)
    assert 'name="csrf_token"' in page.split('action="/kepatuhan/kirim"', 1)[1].split("</form>")[0]
    assert 'data-confirm="' in page.split('action="/kepatuhan/kirim"', 1)[1].split(">")[0]


# --- cost --------------------------------------------------------------------------------


def test_statement_count_does_not_grow_with_the_unit(app, login):
    with app.app_context():
        opds = [u for u in db.session.execute(select(UnitKerja)).scalars() if is_opd_path(u.path)]
        sizes = sorted(
            (
                db.session.execute(
                    select(func.count(Pegawai.id))
                    .join(UnitKerja, Pegawai.unit_kerja_id == UnitKerja.id)
                    .where(UnitKerja.path.startswith(u.path), Pegawai.aktif.is_(True))
                ).scalar(),
                u.id,
            )
            for u in opds
        )
    small, large = next(s for s in sizes if s[0])[1], sizes[-1][1]
    client = login("admin")
    client.get(URL)  # warm up FAB's permission lookups
    costs = {}
    for name, unit in (("small", small), ("large", large)):
        with app.app_context(), statements(app) as seen:
            page = client.get(f"{URL}?unit_kerja_id={unit}")
        costs[name] = (len(seen), listed_total(page.get_data(as_text=True)))
    assert costs["small"][1] < costs["large"][1]
    assert costs["small"][0] == costs["large"][0]


def test_periods_offered_are_those_of_years_with_an_annual_periode(app):
    with app.app_context():
        periods = kepatuhan.periode_choices(db.session)
        years = set(
            db.session.execute(select(Periode.tahun).where(Periode.jenis == "tahunan")).scalars()
        )
        assert {p.tahun for p in periods} == years
        assert periods[0].jenis == "tahunan" and periods[0].tahun == max(years)
