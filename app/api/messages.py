"""The REST API's validation messages in the user's language (CONTRACT.md: Indonesian).

FAB validates a body with marshmallow, which writes English sentences, some with values
filled in ("Must be one of: utama, tambahan."). Each template marshmallow uses for our
fields is listed here with its msgid; a message is matched against the templates and
answered in the catalogue's words with the same values. A message matching no template
passes through unchanged (and tests/integration/test_api_messages.py fails on it).
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext

from app.domain.enums import N_

# marshmallow's template (str.format style) → our msgid (gettext style, same names).
TEMPLATES = {
    "Unknown field.": N_("Unknown field."),
    "Missing data for required field.": N_("This field is required."),
    "Field may not be null.": N_("This field may not be empty."),
    "Invalid input type.": N_("The data must be a JSON object."),
    "Invalid type.": N_("Invalid type."),
    "Invalid value.": N_("Invalid value."),
    "Not a valid integer.": N_("Not a valid integer."),
    "Not a valid number.": N_("Not a valid number."),
    "Not a valid string.": N_("Not a valid text."),
    "Not a valid boolean.": N_("Not a valid boolean (true or false)."),
    "Not a valid date.": N_("Not a valid date (YYYY-MM-DD)."),
    "Not a valid datetime.": N_("Not a valid date and time."),
    "Not a valid list.": N_("Not a valid list."),
    "Not a valid mapping type.": N_("Not a valid JSON object."),
    "Not a valid URL.": N_("Not a valid URL."),
    "Special numeric values (nan or infinity) are not permitted.": N_(
        "Special numeric values (nan or infinity) are not permitted."
    ),
    "Number too large.": N_("The number is too large."),
    "Must be one of: {choices}.": N_("Must be one of: %(choices)s."),
    "Length must be between {min} and {max}.": N_("Length must be between %(min)s and %(max)s."),
    "Shorter than minimum length {min}.": N_("Shorter than the minimum length of %(min)s."),
    "Longer than maximum length {max}.": N_("Longer than the maximum length of %(max)s."),
    "Length must be {equal}.": N_("Length must be %(equal)s."),
    "Must be greater than or equal to {min} and less than or equal to {max}.": N_(
        "Must be at least %(min)s and at most %(max)s."
    ),
    "Must be greater than or equal to {min}.": N_("Must be at least %(min)s."),
    "Must be less than or equal to {max}.": N_("Must be at most %(max)s."),
    "Must be greater than {min}.": N_("Must be greater than %(min)s."),
    "Must be less than {max}.": N_("Must be less than %(max)s."),
}


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(
        f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.DOTALL)


_MATCHERS = [(_pattern(template), msgid) for template, msgid in TEMPLATES.items()]


def translated_message(message: str) -> str:
    for pattern, msgid in _MATCHERS:
        found = pattern.match(message)
        if found:
            return gettext(msgid, **found.groupdict())
    return message


def translated_messages(messages: Any) -> Any:
    """marshmallow's error structure (dicts of lists of strings, nested) in the user's words."""
    if isinstance(messages, str):
        return translated_message(messages)
    if isinstance(messages, dict):
        return {key: translated_messages(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [translated_messages(value) for value in messages]
    return messages
