"""`flask seed` puts the reference data of a fresh install in place, and is idempotent."""

from sqlalchemy import func, select


def test_seed_adds_nothing_twice(app):
    from app.extensions import db
    from app.models.master import Pangkat, Periode, UnitKerja

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
    assert before[0] == 34  # 17 PNS pangkat and PPPK golongan I–XVII
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert counts() == before
