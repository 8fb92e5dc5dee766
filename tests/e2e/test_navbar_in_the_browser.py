"""The navbar of the widest menu (admin BKPSDM's) stays on one line on a 1366 px laptop, the
most common screen at the OPDs (issue 14, finding c); on a phone it folds behind its toggle
(tests/e2e/test_phone_width.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import sign_in
from tests.e2e.test_phone_width import DESKTOP

pytestmark = pytest.mark.e2e

# The top of every item of both menus (left and right); one line when they are all equal.
ITEM_TOPS = """() => Array.from(document.querySelectorAll(
    ".navbar-collapse > .navbar-nav > li")).filter(li => li.getClientRects().length)
  .map(li => ({text: li.innerText.trim(), top: Math.round(li.getBoundingClientRect().top)}))"""


def test_the_admin_navbar_fits_one_line_at_1366(app, live_server, page: Page):
    sign_in(page, live_server, "admin")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/")
    items = page.evaluate(ITEM_TOPS)
    assert len(items) > 5, items
    assert len({item["top"] for item in items}) == 1, items
    height = page.evaluate("document.querySelector('.navbar').getBoundingClientRect().height")
    assert height < 80, height
