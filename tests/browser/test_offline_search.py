"""The offline procedure search (static/js/offline/search.js) against the server's search.

No live server: the page is blank, the script is added from static/, and the index is the one
``GET /search/offline.json`` would send for the catalogue the demo loads (the seed). For queries
typed the way citizens talk, the script's first result must be among the server's first three.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from xungkich.catalogue import services as catalogue
from xungkich.lib.vietnamese import search_keys
from xungkich.search.models import SearchToken
from xungkich.search.offline import offline_index, offline_index_json
from xungkich.search.services import Hit, search

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "offline" / "search.js"

QUERIES = [
    "làm giấy khai sinh cho con",
    "lam giay khai sinh cho con",
    "dang ky ket hon",
    "đăng ký kết hôn ở đâu",
    "cấp lại sổ đỏ",
    "doi bang lai xe",
    "xin giấy xác nhận độc thân",
    "xin giay xac nhan doc than",
    "mất căn cước làm lại",
    "cap lai cccd",
    "đăng kí tạm trú",  # kí / ký
    "gia hạn KT3",
    "xin ct07",
    "làm hộ chiếu",
    "lam ho chieu cho con",
    "báo tử cho ông",
    "nhập hộ khẩu cho vợ",
    "dang ky khia sinh",  # one wrong letter
    "dnag ky ket hon",  # two letters swapped
    "phieu ly lich tu phap",
    "lí lịch tư pháp",
    "chung thuc ban sao",
    "làm thẻ bhyt",
    "mat so bhxh",
    "XOÁ ĐĂNG KÝ THƯỜNG TRÚ",  # upper case, the other tone placement
    unicodedata.normalize("NFD", "cấp đổi thẻ căn cước"),  # decomposed, as some keyboards send
]


@pytest.fixture
def offline(transactional_db, browser):  # type: ignore[no-untyped-def]
    # transactional_db, as the other browser tests: with Playwright's loop running in this thread,
    # the plain ``db`` fixture left a PostgreSQL session open that blocked dropping the test database.
    catalogue.load_seed()
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    page.set_content("<!doctype html><html lang='vi'><head><meta charset='utf-8'></head><body></body></html>")
    page.add_script_tag(path=str(SCRIPT))
    version = page.evaluate("(index) => window.XKOfflineSearch.load(index).version", offline_index())
    assert version == offline_index()["version"]
    yield page
    context.close()


def offline_search(page, query: str, limit: int = 3) -> list[dict]:  # type: ignore[no-untyped-def]
    return page.evaluate("([q, n]) => window.XKOfflineSearch.search(q, n)", [query, limit])


def server_hits(query: str, n: int = 3) -> list[Hit]:
    return [hit for hit in search(query, limit=20) if hit.type == "procedure"][:n]


def server_top(query: str, n: int = 3) -> list[str]:
    return [hit.code for hit in server_hits(query, n)]


def test_first_result_is_among_the_servers_first_three(offline):
    agree, same_score, report = 0, 0, []
    for query in QUERIES:
        ours = offline_search(offline, query)
        theirs = server_hits(query)
        ok = bool(ours) and ours[0]["code"] in [hit.code for hit in theirs]
        agree += ok
        # The first result is found by its name or everyday names, which are shipped whole, so the
        # port scores it as the server does (typo correction, synonyms and word weights included).
        same_score += bool(ours) and (ours[0]["code"], ours[0]["score"]) == (theirs[0].code, theirs[0].score)
        report.append(
            f"{'ok  ' if ok else 'MISS'} {query!r}: offline {[(r['code'], r['score']) for r in ours]} "
            f"server {[(hit.code, hit.score) for hit in theirs]}"
        )
    print(f"\noffline search agrees with the server on {agree} of {len(QUERIES)} queries")
    print(f"the same first result with the same score on {same_score} of {len(QUERIES)}")
    print("\n".join(report))
    assert agree == len(QUERIES), "\n".join(line for line in report if line.startswith("MISS"))
    assert same_score == len(QUERIES)


def test_results_carry_name_url_and_descending_scores(offline):
    results = offline_search(offline, "dang ky khai sinh", 5)
    server = {hit.code: hit for hit in search("dang ky khai sinh", limit=20)}
    assert results[0]["code"] == "1.001193"
    for result in results:
        assert (result["name"], result["url"]) == (server[result["code"]].title, server[result["code"]].url)
        assert result["online"] in {"full", "partial", "none"} and result["level"]
    scores = [result["score"] for result in results]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert len(offline_search(offline, "dang ky", 2)) == 2
    assert offline.evaluate("() => window.XKOfflineSearch.get('1.001193').name") == "Đăng ký khai sinh"
    assert offline.evaluate("() => window.XKOfflineSearch.get('no-such-code')") is None
    # The JSON as text, as the page may keep it, loads too.
    text = offline_index_json(offline_index())
    assert offline.evaluate("(text) => window.XKOfflineSearch.load(text).search('kt3', 1)[0].code", text) == (
        "1.004194"
    )


@pytest.mark.parametrize("query", ["", "   ", ",,, !!", "zzzz qqqq", "xqzv wkjh plmo"])
def test_empty_or_nonsense_finds_nothing(offline, query):
    assert offline_search(offline, query, 10) == []
    assert search(query) == []  # as on the server


def test_the_last_word_is_completed_while_typed(offline):
    # The server knows no "si": offline, "si" stands for the words it begins while it is typed.
    assert offline_search(offline, "dang ky khai si")[0]["code"] == "1.001193"
    assert offline_search(offline, "ket h")[0]["code"] == "1.000894"
    # With a space after it the word is finished: "si", in no document, weighs nothing, as on the server.
    assert not SearchToken.objects.filter(token="si").exists()
    finished = [result["code"] for result in offline_search(offline, "dang ky khai si ")]
    assert finished == server_top("dang ky khai si ")
    assert finished[0] != "1.001193"  # khai sinh and khai tử tie; the code decides


def test_word_keys_are_the_servers(offline):
    texts = [
        "hòa hoà HOÀ", "thủy thuỷ", "ký kí KÝ", "đường dương Đường", "qui quy", "lí lý sĩ sỹ",
        unicodedata.normalize("NFD", "cấp đổi thẻ căn cước"), "mật\u200bkhẩu", "1.001193 C08_XPHCDB",
        "Giấy phép lái xe (GPLX)", "nghiêng ngả, giữa trưa",
    ]  # fmt: skip
    index = offline_index()
    for row in index["procedures"]:
        texts.append(row[1])
        texts.extend(row[3])
    for everyday, official in index["synonyms"]:
        texts.extend([everyday, official])
    ours = offline.evaluate("(texts) => texts.map((text) => window.XKOfflineSearch.keys(text))", texts)
    for text, pairs in zip(texts, ours, strict=True):
        toned, folded = search_keys(text)
        assert [tuple(pair) for pair in pairs] == list(zip(toned, folded, strict=True)), text
