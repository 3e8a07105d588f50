"""The search normaliser and query analysis: pure, no database."""

import unicodedata

from xungkich.lib.vietnamese import folded_key, search_keys, search_words, toned_key
from xungkich.search.matching import Doc, Synonyms, analyse, edits1, rank, score


def test_words_nfc_lower_punctuation():
    text = unicodedata.normalize("NFD", "ĐĂNG KÝ, khai-sinh! (CCCD)")
    assert search_words(text) == ["đăng", "ký", "khai-sinh", "cccd"]
    assert search_words("Mã 1.001193 và C08_XPHCDB") == ["mã", "1.001193", "và", "c08", "xphcdb"]


def test_tone_placement_gives_one_toned_key():
    assert toned_key("hòa") == toned_key("hoà") == "hoa2"
    assert toned_key("thủy") == toned_key("thuỷ")
    assert toned_key("xóa") == toned_key("xoá")
    assert toned_key("khỏe") == toned_key("khoẻ")


def test_i_y_spelling_variants():
    assert toned_key("ký") == toned_key("kí")
    assert toned_key("lý") == toned_key("lí")
    assert toned_key("sỹ") == toned_key("sĩ")
    assert folded_key("quy") == folded_key("qui")
    # Only a syllable ending in the vowel: "thuy" (thủy) and "y" (y tế) stay.
    assert folded_key("thủy") == "thuy"
    assert folded_key("y") == "y"


def test_folded_key_maps_d_bar_and_drops_marks():
    assert folded_key("đường") == folded_key("dương") == "duong"
    assert folded_key("Đ") == "d"
    assert toned_key("đường") != toned_key("dương")


def test_search_keys_of_decomposed_input():
    composed = search_keys("Cấp lại thẻ căn cước")
    assert search_keys(unicodedata.normalize("NFD", "Cấp lại thẻ căn cước")) == composed
    assert composed[1] == ["cap", "lai", "the", "can", "cuoc"]


def test_edits1():
    variants = edits1("khai")
    assert {"kha", "khia", "khai1", "thai", "akhi"} - {"akhi"} <= variants
    assert "khai" not in variants
    assert "khia" in variants  # swap


SYN = Synonyms.from_pairs([("sổ đỏ", "giấy chứng nhận quyền sử dụng đất"), ("CCCD", "thẻ căn cước")])


def _analyse(text, vocabulary=("khai", "sinh", "dang", "ki", "the", "can", "cuoc")):
    vocab = set(vocabulary)
    return analyse(
        text,
        known=vocab.__contains__,
        corrections=lambda word: {w for w in edits1(word) if w in vocab},
        synonyms=SYN,
    )


def test_typo_corrected_against_the_vocabulary_only_for_long_words():
    query = _analyse("dang ky khia sinh")
    slots = query.alternatives[0].slots
    assert slots[2].folded == {"khai"} and slots[2].toned is None
    # 3 letters: never corrected
    assert _analyse("kha").alternatives[0].slots[0].folded == {"kha"}


def test_everyday_names_give_an_alternative():
    query = _analyse("lam so do")
    assert len(query.alternatives) == 2
    words = [next(iter(slot.folded)) for slot in query.alternatives[1].slots]
    assert words == ["lam", "giay", "chung", "nhan", "quyen", "su", "dung", "dat"]
    assert "cccd" in SYN.vocabulary


def _doc(pk, title, aliases=(), code="X"):
    toned, folded = search_keys(title)
    alias_keys = [search_keys(a) for a in aliases]
    return Doc(
        id=pk, kind="procedure", code=code, title_toned=" ".join(toned), title_folded=" ".join(folded),
        aliases_toned="\n".join(" ".join(t) for t, _ in alias_keys),
        aliases_folded="\n".join(" ".join(f) for _, f in alias_keys), body_folded=" ".join(folded),
    )  # fmt: skip


def test_exact_diacritics_rank_above_folded():
    road, field = _doc(1, "Đường", code="A"), _doc(2, "Dương", code="B")
    query = _analyse("dương", vocabulary=("duong",))
    weights = {"duong": 1.0}
    assert score(query, field, weights) > score(query, road, weights) > 0
    assert [doc.code for doc, _ in rank(query, [road, field], weights, 10)] == ["B", "A"]
    query = _analyse("đường", vocabulary=("duong",))
    assert [doc.code for doc, _ in rank(query, [road, field], weights, 10)] == ["A", "B"]


def test_short_title_covered_in_order_ranks_first():
    short = _doc(1, "Đăng ký khai sinh", code="A")
    long = _doc(2, "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế", code="B")
    query = _analyse("dang ky khai sinh", vocabulary=("dang", "ki", "khai", "sinh"))
    weights = {"dang": 0.5, "ki": 0.5, "khai": 2.0, "sinh": 2.0}
    assert [doc.code for doc, _ in rank(query, [long, short], weights, 10)] == ["A", "B"]


def test_a_query_matching_too_little_finds_nothing():
    doc = _doc(1, "Đăng ký khai sinh")
    query = _analyse("dang ky ket hon", vocabulary=("dang", "ki", "ket", "hon", "khai", "sinh"))
    assert score(query, doc, {"dang": 0.2, "ki": 0.2, "ket": 2.0, "hon": 2.0}) == 0
