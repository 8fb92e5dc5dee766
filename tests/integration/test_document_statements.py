"""The SKP page and the evaluation page ask the database as often for a large SKP as for a
small one, and whether or not its two parties share a pangkat (issue 16: statements constant;
`make bench` found the SKP page at 31 statements on 5,000 pegawai and 34 on 100,000, a lazy
load per RHK and per pangkat not already in the identity map)."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import pegawai_id, statements
from tests.factories import chain_with_submitted_skps, skp_with_rhk, viewer_of


def _give_pangkat(app, nip: str, kode: str) -> None:  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Pangkat, Pegawai

    with app.app_context():
        pangkat = db.session.execute(
            select(Pangkat).where(Pangkat.kode == kode, Pangkat.jenis_asn == "pns")
        ).scalar_one()
        db.session.get(Pegawai, pegawai_id(app, nip)).pangkat = pangkat
        db.session.commit()


def _add_rhk(app, nip: str, count: int, intervensi_id: int) -> int:  # noqa: ANN001
    """``count`` RHK of two indikator each on the SKP of ``nip``; returns the SKP's id."""
    from app.extensions import db
    from app.services import skp as skp_service

    skp_id = None
    for number in range(count):
        skp_id, rhk_id = skp_with_rhk(app, nip, f"Hasil {number}", intervensi_id=intervensi_id)
        with app.test_request_context():
            skp_service.add_indikator(
                db.session, rhk_id, viewer_of(app, nip), "kualitas", "Mutu", "90", "persen"
            )
            db.session.commit()
    return skp_id


def _sent(app, client, path: str) -> int:  # noqa: ANN001
    assert client.get(path).status_code == 200  # warmed up: templates, permissions
    with statements(app) as sent:
        assert client.get(path).status_code == 200
    return len(sent)


def test_a_larger_skp_with_parties_of_other_pangkat_costs_no_more_statements(app, login):  # noqa: ANN001
    from app.extensions import db
    from app.models.master import Periode
    from app.models.penilaian import Penilaian
    from app.services import skp as skp_service

    people, atasan_rhk = chain_with_submitted_skps(app)
    _give_pangkat(app, people.atasan, "III/d")
    _give_pangkat(app, people.staff, "III/d")  # the same as the penilai's
    _give_pangkat(app, people.colleague, "III/a")  # one of its own
    small = _add_rhk(app, people.staff, 1, atasan_rhk)
    large = _add_rhk(app, people.colleague, 3, atasan_rhk)
    atasan = login(people.atasan)

    assert _sent(app, atasan, f"/skp/{small}") == _sent(app, atasan, f"/skp/{large}")

    evaluations = {}
    with app.test_request_context():
        for nip, skp_id in ((people.staff, small), (people.colleague, large)):
            skp_service.submit(db.session, skp_id, viewer_of(app, nip))
            skp_service.approve(db.session, skp_id, viewer_of(app, people.atasan))
            db.session.commit()
            evaluations[skp_id] = db.session.execute(
                select(Penilaian.id)
                .join(Periode, Penilaian.periode_id == Periode.id)
                .where(Penilaian.skp_id == skp_id, Periode.jenis == "tw1")
            ).scalar_one()

    assert _sent(app, atasan, f"/skp/{small}") == _sent(app, atasan, f"/skp/{large}")
    assert _sent(app, atasan, f"/penilaian/{evaluations[small]}") == _sent(
        app, atasan, f"/penilaian/{evaluations[large]}"
    )
