"""What the browser tests do again and again: sign in, and name the Indonesian text a page
must show."""

from __future__ import annotations

from flask_babel import force_locale, gettext
from playwright.sync_api import expect

PASSWORD = "dumai2026"


def indonesian(app, msgid: str, **params: object) -> str:  # noqa: ANN001
    """The text of ``msgid`` in the default locale, as the catalogue has it; fails while the
    catalogue still lacks an Indonesian translation (a page would then show English)."""
    with app.test_request_context():
        with force_locale("id"):
            text = gettext(msgid, **params)
        with force_locale("en"):
            english = gettext(msgid, **params)
    assert text != english, f"not translated into Indonesian yet: {msgid!r}"
    return text


def sign_in(page, live_server: str, username: str) -> None:  # noqa: ANN001
    page.goto(f"{live_server}/login/")
    expect(page.locator("#username")).to_be_visible()
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("form[name=login] [type=submit]")
    page.wait_for_url(f"{live_server}/")
