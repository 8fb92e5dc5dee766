"""Indonesian first, in every corner of the page.

Flask-AppBuilder and WTForms ship no Indonesian catalogue, so their msgids live in ours
(translations/, collected by `make messages`). Three things do not go through Flask-Babel
on their own, and are handed our catalogue here:
- WTForms validation messages: Flask-WTF looks them up in WTForms' own catalogues;
- FAB's JavaScript (date picker, select2, alerts), which hard-codes English;
- the HTTP error pages (403 for a page a role may not open, 404, 429 at the login limit),
  which Werkzeug writes in English.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import get_locale, get_translations, gettext
from werkzeug.exceptions import HTTPException

from app.domain.enums import N_
from app.domain.errors import DomainError

# The English literals FAB's scripts use (ab.js, ab_filters.js, ab_actions.js), as the key
# app/static/sikap/i18n.js looks them up by.
_SCRIPT_LITERALS = {
    "Select a State": N_("Select an option"),
    "Select": N_("Select an option"),
    "No row selected": N_("No row selected"),
}


# What an HTML error page tells the reader, per status (any other 4xx reads as 400, 5xx as 500).
ERRORS = {
    400: (N_("Invalid request"), N_("The request could not be understood. Go back and try again.")),
    403: (N_("Access is Denied"), N_("You do not have permission to open this page.")),
    404: (N_("Not found"), N_("The page or the data you are looking for does not exist.")),
    405: (N_("Invalid request"), N_("This page cannot be opened this way.")),
    413: (N_("File too large"), N_("The file is larger than the upload limit.")),
    429: (N_("Too many attempts"), N_("Wait a minute, then try again.")),
    500: (N_("Server error"), N_("Something went wrong on our side. Try again later.")),
}


def translated(error: DomainError) -> str:
    """A refused rule in the user's language; string parameters that are labels (msgids) are
    translated too, other values (names, numbers) pass through unchanged."""
    params = {
        key: gettext(value) if isinstance(value, str) else value
        for key, value in error.params.items()
    }
    return gettext(error.message, **params)


def error_page(error: HTTPException) -> Any:
    """Werkzeug's error page, in the user's language and the app's layout; under /api/ the
    same explanation as the API's other errors, ``{"message": …}`` (an unknown address, a
    method a resource does not take), instead of Werkzeug's English HTML."""
    if error.code is None or error.code < 400 or error.response is not None:
        return error
    title, explanation = ERRORS.get(error.code) or ERRORS[500 if error.code >= 500 else 400]
    if request.path.startswith("/api/"):
        answer = jsonify(message=gettext(explanation))
        answer.status_code = error.code
        if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
            answer.headers["Allow"] = ", ".join(error.valid_methods)
        return answer
    return render_error_page(title, explanation), error.code


def render_error_page(title: str, explanation: str) -> str:
    """An error page in the app's layout: ``title`` and ``explanation`` are msgids."""
    appbuilder = current_app.appbuilder  # type: ignore[attr-defined]
    return render_template(
        "sikap/error.html",
        title=gettext(title),
        explanation=gettext(explanation),
        appbuilder=appbuilder,
        base_template=appbuilder.base_template,
    )


def client_messages() -> dict[str, Any]:
    """What FAB's widgets need to speak the active language in the browser."""
    locale = get_locale()
    days, months = locale.days["format"], locale.months["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, the date picker from Sunday
    return {
        "literals": {english: gettext(msgid) for english, msgid in _SCRIPT_LITERALS.items()},
        "select2": {
            "noResults": gettext("No results found"),
            "searching": gettext("Searching…"),
            "errorLoading": gettext("The results could not be loaded."),
            "loadingMore": gettext("Loading more results…"),
            "removeAllItems": gettext("Remove all items"),
        },
        "datepicker": {
            "code": str(locale),
            "days": [days["wide"][day] for day in sunday_first],
            "daysShort": [days["abbreviated"][day] for day in sunday_first],
            "daysMin": [days["short"][day] for day in sunday_first],
            "months": [months["wide"][month] for month in range(1, 13)],
            "monthsShort": [months["abbreviated"][month] for month in range(1, 13)],
            "today": gettext("Today"),
            "clear": gettext("Clear"),
            "monthsTitle": gettext("Months"),
            "weekStart": (locale.first_week_day + 1) % 7,
        },
    }


def register(app: Flask) -> None:
    @app.before_request
    def wtforms_speak_our_language() -> None:
        # Flask-WTF caches WTForms' translations on the request under this name; giving it
        # ours puts "This field is required." and the other validator messages through
        # translations/ (with the locale FAB chose) instead of WTForms' catalogues.
        request.wtforms_translations = get_translations()

    app.register_error_handler(HTTPException, error_page)
    app.jinja_env.globals["client_messages"] = client_messages
