"""`flask seed` puts the reference data of a fresh install in place, and is idempotent."""

from sqlalchemy import func, select


def test_seed_adds_nothing_twice(app):
    from app.extensions import db
    from app.models.master import Pangkat, Periode, UnitKerja
    from app.seed import read_csv

    def counts():
        with app.app_context():
            return [
                db.session.execute(select(func.count(model.id))).scalar()
                for model in (Pangkat, UnitKerja, Periode)
            ]

    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    before = counts()
    with app.app_context():
        kode = set(db.session.execute(select(Pangkat.kode, Pangkat.jenis_asn)).tuples())
    # the 17 PNS pangkat and the PPPK golongan I–XVII (other tests may add more)
    assert {(row["kode"], row["jenis_asn"].lower()) for row in read_csv("pangkat.csv")} <= kode
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert counts() == before
