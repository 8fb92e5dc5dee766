"""The login page names the demo password when demo data are loaded, and only then
(CONTRACT.md, Demo accounts)."""

from __future__ import annotations

from tests.conftest import make_app


def test_login_page_names_the_demo_password_when_demo_data_are_loaded(app):
    page = app.test_client().get("/login/").get_data(as_text=True)
    assert 'id="demo-accounts"' in page
    assert "dumai2026" in page
    assert "kata sandi" in page  # in Indonesian


def test_login_page_of_a_production_database_never_names_it(empty_database_url):
    from flask_migrate import upgrade

    from app.extensions import db

    production = make_app(empty_database_url)
    with production.app_context():
        upgrade()
    assert production.test_cli_runner().invoke(args=["seed"]).exit_code == 0
    page = production.test_client().get("/login/").get_data(as_text=True)
    assert 'name="username"' in page
    assert "dumai2026" not in page
    with production.app_context():
        db.session.remove()
        db.engine.dispose()


def test_demo_data_removed_by_reset_stop_the_hint(empty_database_url):
    from flask_migrate import upgrade

    from app import demo
    from app.extensions import db

    fresh = make_app(empty_database_url)
    with fresh.app_context():
        upgrade()
        demo.load_demo_data(db.session, 30, performance=False)
        db.session.commit()
        assert demo.demo_data_loaded(db.session)
        demo.reset(db.session)
        db.session.commit()
        assert not demo.demo_data_loaded(db.session)
        db.session.remove()
        db.engine.dispose()
