"""Every role can sign in and reach its landing page; /health answers without login."""


def test_health_answers_without_login(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_each_role_reaches_the_dashboard(login, cast):
    for username in (cast.admin, cast.pimpinan, cast.atasan, cast.staff):
        response = login(username).get("/")
        assert response.status_code == 200, username
        assert "SIKAP Dumai" in response.get_data(as_text=True)
