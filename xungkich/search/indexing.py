"""Writing the search index: the only way procedures and guides get into search.

Any part of the app that wants something found calls::

    index_document(kind="guide", code="vneid-quen-mat-khau", title="…", url="/…/", text="…",
                   aliases=("quên mật khẩu vneid",))
    remove_document(kind="guide", code="vneid-quen-mat-khau")

inside its own transaction (both are atomic on their own too). Search reads only the
SearchDocument / SearchToken tables, so it never needs to know the models behind them.

``index_procedure`` and ``index_guide_version`` say what of a procedure or a guide is searched;
``hooks`` calls them when the catalogue or the guides announce a change.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from xungkich.catalogue.models import Procedure
from xungkich.catalogue.services import procedure_url
from xungkich.guides.content import GuideContent
from xungkich.guides.models import Guide, GuideVersion
from xungkich.guides.services import guide_url
from xungkich.lib.vietnamese import clean_text, search_keys
from xungkich.search.models import SearchDocument, SearchToken

KINDS = {choice.value for choice in SearchDocument.Kind}
MAX_TOKEN_LENGTH = 64


def document_keys(*, code: str, title: str, aliases: Iterable[str], text: str) -> dict[str, str]:
    """The comparison keys SearchDocument stores (pure; the search ranks with the same keys)."""
    title_toned, title_folded = search_keys(title)
    alias_lines = [search_keys(alias) for alias in aliases]
    return {
        "title_toned": " ".join(title_toned),
        "title_folded": " ".join(title_folded),
        "aliases_toned": "\n".join(" ".join(toned) for toned, _ in alias_lines),
        "aliases_folded": "\n".join(" ".join(folded) for _, folded in alias_lines),
        "body_folded": " ".join(search_keys(f"{code} {text}")[1]),
    }


def document_tokens(keys: dict[str, str]) -> set[str]:
    """Every folded word of a document: what candidates are fetched by."""
    words: set[str] = set()
    for name in ("title_folded", "aliases_folded", "body_folded"):
        words.update(keys[name].split())
    return {word for word in words if len(word) <= MAX_TOKEN_LENGTH}


@transaction.atomic
def index_document(
    *,
    kind: str,
    code: str,
    title: str,
    url: str,
    text: str = "",
    aliases: Iterable[str] = (),
    weight: float = 1.0,
) -> SearchDocument:
    """Add or replace the search entry of one procedure or guide (kind, code) and its words."""
    if kind not in KINDS:
        raise ValueError(f"unknown search document kind {kind!r}")
    title = clean_text(title)
    alias_list = [clean_text(alias) for alias in aliases if clean_text(alias)]
    text = "\n".join(clean_text(line) for line in str(text or "").splitlines() if clean_text(line))
    keys = document_keys(code=code, title=title, aliases=alias_list, text=text)
    document, _created = SearchDocument.objects.update_or_create(
        kind=kind,
        code=code,
        defaults={"title": title, "url": url, "body": text, "aliases": alias_list, "weight": weight, **keys},
    )
    SearchToken.objects.filter(document=document).delete()
    SearchToken.objects.bulk_create(
        [SearchToken(document=document, token=token) for token in sorted(document_tokens(keys))]
    )
    return document


@transaction.atomic
def remove_document(kind: str, code: str) -> bool:
    """Take one entry out of search; False when it was not there."""
    deleted, _rows = SearchDocument.objects.filter(kind=kind, code=code).delete()
    return bool(deleted)


def index_procedure(procedure: Procedure) -> SearchDocument:
    """Put (or refresh) the procedure in search."""
    text = "\n".join([procedure.field, procedure.agency, procedure.summary, *procedure.documents])
    return index_document(
        kind=SearchDocument.Kind.PROCEDURE,
        code=procedure.code,
        title=procedure.name,
        url=procedure_url(procedure.code),
        text=text,
        aliases=procedure.aliases,
    )


def reindex_procedures() -> int:
    """Rebuild the search entries of every procedure (after a change to the search keys)."""
    count = 0
    with transaction.atomic():
        for procedure in Procedure.objects.iterator():
            index_procedure(procedure)
            count += 1
    return count


def index_guide_version(guide: Guide, version: GuideVersion) -> None:
    """Put (or refresh) the version citizens read of a guide in search."""
    content = GuideContent.from_dict(version.content)
    index_document(
        kind=SearchDocument.Kind.GUIDE,
        code=guide.slug,
        title=version.title,
        url=guide_url(guide),
        text=content.plain_text(),
        aliases=tuple(version.aliases),
    )


def remove_guide(guide: Guide) -> None:
    remove_document(SearchDocument.Kind.GUIDE, guide.slug)
