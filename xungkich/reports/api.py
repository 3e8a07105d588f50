"""The reports endpoints of JSON API v1."""

from ninja import Router

router = Router(tags=["reports"])
