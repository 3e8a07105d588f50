"""Input types of JSON API v1: every limit the database has is in the schema and checked first.

- ``CleanText`` (with a ``max_length``): a string without control characters
  (NUL, escape, DEL…; tab and line breaks are allowed). PostgreSQL refuses NUL in text, and a string
  longer than its column is a database error: both are refused here with a 400 naming the field.
- ``ApiDate``: a date between 2000-01-01 and 2100-12-31 (the date arithmetic behind reports and
  follow-ups overflows far beyond; no record of this service is dated outside).
- ``BodyId``: an id in a JSON body, a JSON integer only (pydantic would take ``true`` as 1),
  within the database's bigint. ``QueryId``: the same, read from a query string or a path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, Field, Strict
from pydantic_core import PydanticCustomError

DATE_MIN = dt.date(2000, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
MAX_ID = 2**63 - 1  # BigAutoField

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")
NO_CONTROL_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f]*$"

# Error types the API's validation handler explains in words (xungkich/api/api.py).
CONTROL_ERROR = "control_characters"
DATE_ERROR = "date_out_of_range"


def _no_control_characters(value: str) -> str:
    if _CONTROL.search(value):
        raise PydanticCustomError(CONTROL_ERROR, "control characters are not allowed")
    return value


def _date_in_range(value: dt.date) -> dt.date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise PydanticCustomError(DATE_ERROR, "dates must be between 2000-01-01 and 2100-12-31")
    return value


# A field of this type says its length: ``Annotated[CleanText, Field(max_length=200)]``.
CleanText = Annotated[
    str,
    AfterValidator(_no_control_characters),
    Field(json_schema_extra={"pattern": NO_CONTROL_PATTERN}),
]


ApiDate = Annotated[
    dt.date,
    Field(
        description="YYYY-MM-DD, between 2000-01-01 and 2100-12-31",
        json_schema_extra={"formatMinimum": DATE_MIN.isoformat(), "formatMaximum": DATE_MAX.isoformat()},
    ),
    AfterValidator(_date_in_range),
]
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
