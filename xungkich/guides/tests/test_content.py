"""The guide content core: parsing, validation, the seed files, fingerprints. No database."""

from __future__ import annotations

import unicodedata

import pytest

from xungkich.guides.content import (
    ContentError,
    GuideContent,
    changed_fields,
    check_slug,
    fingerprint,
    load_seed_files,
    parse_seed,
)
from xungkich.tickets.models import Need

STEP = {"title": "Tải ứng dụng", "body": "Mở CH Play."}


def test_from_dict_cleans_text_to_nfc_and_keeps_paragraphs():
    content = GuideContent.from_dict(
        {
            "summary": "  Ta\u0300i  khoa\u0309n ",
            "prepare": ["Thẻ căn cước", "  "],
            "steps": [{"title": "Bước\r\nmột", "body": "Đoạn một.\r\n\r\n\r\nĐoạn   hai."}],
        }
    )
    assert content.summary == "Tài khoản"
    assert unicodedata.is_normalized("NFC", content.summary)
    assert content.prepare == ("Thẻ căn cước",)
    assert content.steps[0].title == "Bước một"
    assert content.steps[0].paragraphs == ["Đoạn một.", "Đoạn hai."]


def test_round_trip_through_a_dict():
    content = GuideContent.from_dict(
        {
            "summary": "S",
            "steps": [STEP | {"tip": "Mẹo", "image_id": "7", "image_alt": "Màn hình"}],
            "problems": [{"problem": "Lỗi", "solution": "Làm lại"}],
        }
    )
    assert content.steps[0].image_id == 7
    assert GuideContent.from_dict(content.to_dict()) == content
    assert content.image_ids() == {7}


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"steps": []}, "no_steps"),
        ({"steps": [{"title": "T", "body": ""}]}, "step_incomplete"),
        ({"steps": [STEP | {"image_id": 3}]}, "image_without_alt"),
        ({"steps": [STEP], "problems": [{"problem": "P", "solution": ""}]}, "problem_incomplete"),
        ({"steps": [STEP] * 31}, "too_many_steps"),
    ],
)
def test_validate_names_the_broken_rule(data, code):
    with pytest.raises(ContentError) as error:
        GuideContent.from_dict(data).validate()
    assert error.value.code == code


def test_plain_text_holds_every_part_for_search():
    content = GuideContent.from_dict(
        {
            "summary": "Tóm tắt",
            "steps": [STEP | {"tip": "Mẹo"}],
            "problems": [{"problem": "Lỗi OTP", "solution": "Chờ"}],
        }
    )
    text = content.plain_text()
    for word in ("Tóm tắt", "Tải ứng dụng", "Mở CH Play.", "Mẹo", "Lỗi OTP", "Chờ"):
        assert word in text


@pytest.mark.parametrize("slug", ["", "Hoa", "khai sinh", "-a", "quan-ly", "anh", "đăng-ký"])
def test_bad_slugs_are_refused(slug):
    with pytest.raises(ContentError):
        check_slug(slug)


def test_seed_files_are_complete_plain_vietnamese_guides():
    seeds = load_seed_files()
    slugs = [seed.slug for seed in seeds]
    assert len(slugs) == len(set(slugs)) >= 7
    for expected in (
        "cai-dat-vneid-muc-1",
        "dang-nhap-cong-dvc-bang-vneid",
        "nop-ho-so-truc-tuyen",
        "thanh-toan-le-phi-truc-tuyen",
        "quen-mat-khau-vneid",
        "khong-nhan-duoc-ma-otp",
        "khong-doc-duoc-chip",
    ):
        assert expected in slugs
    for seed in seeds:
        seed.content.validate()
        assert set(seed.needs) <= set(Need.values), seed.slug
        assert unicodedata.is_normalized("NFC", seed.title)
        assert seed.content.summary and seed.content.prepare
    login = next(s for s in seeds if s.slug == "dang-nhap-cong-dvc-bang-vneid")
    # The portal's own wording for the VNeID login (DOMAIN facts).
    assert "Tài khoản Định danh điện tử cấp bởi Bộ Công an dành cho Công dân" in login.content.plain_text()
    submit = next(s for s in seeds if s.slug == "nop-ho-so-truc-tuyen")
    assert "1.001193" in submit.procedures
    assert "làm giấy khai sinh" in submit.aliases


def test_seed_digest_changes_with_the_text_only():
    data = {"slug": "thu", "title": "Thử", "steps": [STEP]}
    first, again = parse_seed(data), parse_seed(dict(data))
    changed = parse_seed(data | {"steps": [STEP | {"body": "Mở App Store."}]})
    assert first.digest() == again.digest() != changed.digest()


def test_duplicate_seed_slugs_are_an_error(tmp_path):
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('slug = "trung"\ntitle = "T"\n[[steps]]\ntitle = "B"\nbody = "X"\n')
    with pytest.raises(ContentError) as error:
        load_seed_files(tmp_path.glob("*.toml"))
    assert error.value.code == "duplicate_slug"


def test_fingerprint_covers_name_fee_and_mode_only():
    facts = {"name": "Đăng ký khai sinh", "fee": "0", "mode": "online", "other": 1}
    assert fingerprint(facts) == fingerprint(facts | {"other": 2})
    for key in ("name", "fee", "mode"):
        assert fingerprint(facts) != fingerprint(facts | {key: "khác"})


def test_changed_fields_lists_what_moved():
    old = {"name": "A", "fee": "10", "mode": "online"}
    assert changed_fields(old, old) == []
    assert changed_fields(old, old | {"fee": "5"}) == ["fee"]
    assert changed_fields(None, old) == ["name", "fee", "mode"]
