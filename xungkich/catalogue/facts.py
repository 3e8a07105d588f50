"""What other apps read about procedures: the facts a guide relies on, links to procedure pages.

Kept in one small module so the guide code depends on the catalogue's interface in one place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse

from xungkich.catalogue.models import Procedure, SubmissionChannel
from xungkich.core.pdf import vn_number


def procedure_queryset() -> QuerySet[Procedure]:
    """Procedures with what ``procedure_facts`` reads (channels and their fees) prefetched."""
    return Procedure.objects.prefetch_related("channels__fees")


def find_procedures(codes: Iterable[str]) -> list[Procedure]:
    return list(procedure_queryset().filter(code__in=list(codes)))


def procedure_facts(procedure: Procedure) -> dict[str, Any]:
    """What a guide relies on: the name, the fee, how the procedure is done (JSON-safe, stable).

    ``fee``: every fee of every way to submit, with the date it takes effect, e.g.
    "online: 0 đ; in_person: 50000 đ từ 2025-07-01" (a fee announced for a later date counts as a
    change too: the guide may need a note). ``mode``: the online mode (toàn trình / một phần /
    none) and the ways to submit, e.g. "full; online, post, in_person".
    """
    channels = sorted(procedure.channels.all(), key=lambda c: c.kind)
    fees = []
    for channel in channels:
        for fee in sorted(channel.fees.all(), key=lambda f: (f.effective_from is not None, f.effective_from)):
            amount = f"{fee.amount} đ" if fee.amount is not None else fee.description
            since = f" từ {fee.effective_from.isoformat()}" if fee.effective_from else ""
            fees.append(f"{channel.kind}: {amount}{since}")
    return {
        "name": procedure.name,
        "fee": "; ".join(fees),
        "mode": f"{procedure.online_mode}; {', '.join(c.kind for c in channels)}",
    }


def procedure_url(procedure: Procedure) -> str:
    try:
        return reverse("catalogue:procedure_detail", args=[procedure.code])
    except NoReverseMatch:
        return ""


def procedure_links(ids: Iterable[int]) -> list[dict[str, str]]:
    """Code, name and page of the procedures a published version links to, in code order."""
    return [
        {"code": p.code, "name": p.name, "url": procedure_url(p)}
        for p in Procedure.objects.filter(pk__in=list(ids)).only("code", "name").order_by("code")
    ]


_FACT_WORDS = re.compile(r"\b(in_person|online|post|full|partial|none)\b|\b(\d{4,})(?= đ)")


def describe_facts(value: object) -> str:
    """A stored fact ("in_person: 8000 đ; online: 0 đ") in the reader's words ("Trực tiếp: 8.000 đ; …")."""
    labels = {**dict(SubmissionChannel.Kind.choices), **dict(Procedure.OnlineMode.choices)}

    def word(match: re.Match[str]) -> str:
        if match.group(1):
            return str(labels.get(match.group(1), match.group(1)))
        return vn_number(int(match.group(2)))

    return _FACT_WORDS.sub(word, str(value or ""))
