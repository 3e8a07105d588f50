"""The one error shape of JSON API v1, for every router to declare its error answers with."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class Error(Schema):
    code: str
    message: str


def errors(*statuses: int) -> dict[int, Any]:
    """The error answers an operation documents: ``response={200: Out, **errors(400, 404)}``."""
    return dict.fromkeys(statuses, Error)
