"""The offline search index: what it ships, who may fetch it, and revalidation by ETag."""

import gzip
import json

import pytest
from django.urls import reverse

from xungkich.catalogue import services as catalogue
from xungkich.catalogue.models import Procedure
from xungkich.search import matching, views
from xungkich.search.indexing import index_document, remove_document
from xungkich.search.models import SearchToken
from xungkich.search.offline import BODY_KEYS, offline_index
from xungkich.search.services import synonyms

URL = "/search/offline.json"


@pytest.fixture
def seeded(db):
    catalogue.load_seed()


def rows(index):
    fields = index["fields"]
    return {row[0]: dict(zip(fields, row, strict=True)) for row in index["procedures"]}


def test_url_name():
    assert reverse("search:offline_index") == URL


def test_every_catalogue_procedure_with_name_url_mode_and_level(seeded):
    index = offline_index()
    shipped = rows(index)
    assert set(shipped) == set(Procedure.objects.values_list("code", flat=True))
    birth = shipped["1.001193"]
    procedure = Procedure.objects.get(code="1.001193")
    assert birth["name"] == procedure.name == "Đăng ký khai sinh"
    assert birth["url"] == "/thu-tuc/1.001193/"
    assert (birth["online"], birth["level"]) == (procedure.online_mode, procedure.level)
    assert shipped["1.012753"]["aliases"] == Procedure.objects.get(code="1.012753").aliases
    assert index["total"] == 45
    json.dumps(index)  # JSON-safe as it is


def test_body_keys_are_few_rare_or_function_words_and_not_in_the_name(seeded):
    index = offline_index()
    for code, row in rows(index).items():
        keys = row["keys"].split()
        named = set(matching.search_keys(row["name"])[1])
        for alias in row["aliases"]:
            named |= set(matching.search_keys(alias)[1])
        rare = [key for key in keys if key not in matching.FUNCTION_WORDS]
        assert len(rare) <= BODY_KEYS
        assert not set(keys) & named, code
        # The rarest come first: document counts never decrease along the list.
        counts = [index["df"].get(key, 1) for key in rare]
        assert counts == sorted(counts), code
    # The passport's form (mẫu TK01) is named only in its text, and in no other procedure's; the
    # function words of a text are all kept (the birth registration's "… của người đi đăng ký").
    assert "tk01" in rows(index)["1.001456"]["keys"].split()
    assert "cua" in rows(index)["1.001193"]["keys"].split()


def test_document_counts_are_the_servers(seeded):
    index = offline_index()
    for word in ("dang", "ki", "khai", "sinh"):  # "ký" folds to "ki"
        assert index["df"][word] == SearchToken.objects.filter(token=word).count() > 1
    # Words in one document are left out (the script counts them as one).
    assert all(count > 1 for word, count in index["df"].items() if word not in _official_words())


def _official_words():
    return {word for _toned, folded in synonyms().phrases.values() for word in folded}


def test_synonyms_first_pair_per_everyday_phrase(seeded):
    pairs = offline_index()["synonyms"]
    everyday = [tuple(matching.search_keys(a)[1]) for a, _ in pairs]
    assert len(everyday) == len(set(everyday)) == len(synonyms().phrases)
    assert ["sổ đỏ", "giấy chứng nhận quyền sử dụng đất"] in pairs
    for phrase, official in pairs:
        _toned, folded = synonyms().phrases[tuple(matching.search_keys(phrase)[1])]
        assert tuple(matching.search_keys(official)[1]) == folded


def test_tuning_is_the_matchers(seeded):
    tuning = offline_index()["tuning"]
    assert tuning["title"] == matching.TITLE and tuning["typo"] == matching.TYPO
    assert tuning["min_coverage"] == matching.MIN_COVERAGE
    assert set(tuning["function_words"]) == matching.FUNCTION_WORDS


def test_unpublished_and_stale_entries_and_guides_left_out(seeded):
    remove_document("procedure", "1.001193")  # taken out of search: not offered
    index_document(kind="procedure", code="9.999999", title="Thủ tục đã bỏ", url="/thu-tuc/9.999999/")
    index_document(kind="guide", code="vneid", title="Cài VNeID", url="/huong-dan/vneid/")
    shipped = rows(offline_index())
    assert "1.001193" not in shipped  # still in the catalogue, no longer searched
    assert "9.999999" not in shipped  # searched, but no longer in the catalogue
    assert "vneid" not in shipped
    assert "1.000894" in shipped


def test_version_follows_the_content(seeded):
    first = offline_index()
    assert first["version"] == offline_index()["version"]
    Procedure.objects.filter(code="1.000894").update(online_mode=Procedure.OnlineMode.NONE)
    second = offline_index()
    assert second["version"] != first["version"]
    catalogue.upsert_procedures(
        records=[catalogue.ProcedureRecord(code="9.000001", name="Cấp giấy phép nuôi ong")], by=None
    )
    assert offline_index()["version"] != second["version"]


def test_four_queries_whatever_the_size(seeded, django_assert_num_queries):
    with django_assert_num_queries(4):
        offline_index()


def test_signed_out_is_sent_to_sign_in(client, seeded):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signed_in_gets_json_with_etag(client, seeded, volunteer_user):
    client.force_login(volunteer_user)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    index = json.loads(response.content)
    assert index == offline_index()
    assert response["ETag"] == f'"{index["version"]}"'
    assert "private" in response["Cache-Control"]


def test_the_view_asks_for_revalidation_on_every_use(rf, seeded, volunteer_user):
    # Without the middleware: what the view itself says (for a signed-in person the security
    # middleware then makes it "private, no-store"; the page revalidates with If-None-Match).
    request = rf.get(URL)
    request.user = volunteer_user
    response = views.offline_index(request)
    assert set(response["Cache-Control"].split(", ")) == {"private", "max-age=0"}


def test_etag_revalidation_gives_an_empty_304(client, seeded, volunteer_user):
    client.force_login(volunteer_user)
    etag = client.get(URL)["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    Procedure.objects.filter(code="1.000894").update(level=Procedure.Level.PROVINCE)
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_gzip_when_asked_and_the_weak_etag_still_revalidates(client, seeded, volunteer_user):
    client.force_login(volunteer_user)
    response = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    index = json.loads(gzip.decompress(response.content))
    assert index["version"] in response["ETag"]
    again = client.get(URL, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_only_get(client, seeded, volunteer_user):
    client.force_login(volunteer_user)
    assert client.post(URL).status_code == 405
