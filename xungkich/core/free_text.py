"""Free text a person types: its length limits and where it is screened.

Every text a volunteer, a coordinator or a citizen types in a box of their own words goes through the
privacy screen (``xungkich.core.privacy``): a password or a one-time code is refused, an ID, phone
number or e-mail address is masked, invisible characters are removed. Each such field is listed in
``SCREENED`` with its limit in characters; the model, the form and the API schema take their
``max_length`` from here, so a field is capped the same way wherever it is typed.

``xungkich/helpdesk/tests/test_free_text.py`` walks every model's text fields and fails on a field that
is neither listed here nor in its commented allow-list of fields that are not free text (codes, choices,
people's names, consented contact data, editorial catalogue content, values the system writes).
"""

from __future__ import annotations

#: Notes, descriptions and workarounds: a few paragraphs.
NOTES = 2000
#: A citizen's comment on the rating page.
COMMENT = 1000
#: Where help was given ("Tổ 3, khối Sơn Phong").
PLACE = 200
#: A procedure's name, as typed or from the catalogue (the longest official names are about 250).
PROCEDURE_NAME = 300

#: "app_label.Model" -> {field name: limit in characters}. Order: as the forms show them.
SCREENED: dict[str, dict[str, int]] = {
    "helpdesk.HelpSession": {
        "place_text": PLACE,
        "procedure_code": 30,
        "procedure_name": PROCEDURE_NAME,
        "notes": NOTES,
    },
    "helpdesk.Rating": {"comment": COMMENT},
    "helpdesk.KnownIssue": {"title": 150, "workaround": NOTES},
    "campaigns.Campaign": {"name": 200, "description": NOTES},
    "campaigns.Activity": {"title": 200, "address": 250, "notes": NOTES},
    "campaigns.Event": {"title": 200, "description": NOTES, "place": 250},
    "campaigns.Registration": {"unit_text": 150},
    "people.Volunteer": {"position": 100, "notes": NOTES},
    "accounts.SignupRequest": {"reason": 300},
    "rosters.Unavailability": {"note": 150},
    "places.ClosedDay": {"reason": 150},
    "rosters.Assignment": {"reason": 255},
}
