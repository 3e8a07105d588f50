"""Guide services: drafts, versions, the search index, the changed-procedure check, the loader."""

from __future__ import annotations

import pytest

from xungkich.core.errors import DomainError
from xungkich.core.models import AuditEntry
from xungkich.guides import services
from xungkich.guides.content import load_seed_files, parse_seed
from xungkich.guides.models import Guide, GuideProcedureReview, GuideVersion
from xungkich.guides.tests.guide_data import change_procedure, draft, indexed, make_guide, make_procedure

pytestmark = pytest.mark.django_db


def test_create_guide_refuses_taken_and_bad_slugs(coordinator, units):
    make_guide(slug="mot", by=coordinator)
    with pytest.raises(DomainError) as taken:
        services.create_guide(by=coordinator, slug="mot", title="X", unit=None)
    assert taken.value.code == "slug_taken"
    with pytest.raises(DomainError) as bad:
        services.create_guide(by=coordinator, slug="Có dấu", title="X", unit=None)
    assert bad.value.code == "bad_slug"


def test_publishing_snapshots_numbered_versions(coordinator):
    guide = make_guide(by=coordinator)
    first = guide.published_version
    assert first.number == 1 and guide.status == Guide.Status.PUBLISHED
    services.save_draft(guide=guide, by=coordinator, draft=draft(title="Tên mới"))
    guide.refresh_from_db()
    assert services.has_unpublished_changes(guide)
    assert guide.published_version.title == "Đăng ký tài khoản VNeID"  # the draft is not public yet
    second = services.publish_guide(guide=guide, by=coordinator)
    guide.refresh_from_db()
    assert second.number == 2 and guide.published_version == second and second.title == "Tên mới"
    assert not services.has_unpublished_changes(guide)
    first.refresh_from_db()
    assert first.title == "Đăng ký tài khoản VNeID"  # old versions never change
    assert list(GuideVersion.objects.filter(guide=guide).values_list("number", flat=True)) == [2, 1]
    assert AuditEntry.objects.filter(action="guide.publish", object_id=str(guide.pk)).count() == 2


def test_publish_refuses_an_incomplete_guide(coordinator):
    guide = services.create_guide(by=coordinator, slug="trong", title="Trống", unit=None)
    with pytest.raises(DomainError) as error:
        services.publish_guide(guide=guide, by=coordinator)
    assert error.value.code == "no_steps"
    assert not GuideVersion.objects.exists()


def test_save_draft_rejects_unknown_needs_and_other_guides_images(coordinator):
    guide = make_guide(by=coordinator)
    with pytest.raises(DomainError) as need:
        services.save_draft(guide=guide, by=coordinator, draft=draft(needs=["hack"]))
    assert need.value.code == "unknown_need"
    step = services.DraftStep(title="A", body="B", image_id=123456, image_alt="x")
    with pytest.raises(DomainError) as image:
        services.save_draft(guide=guide, by=coordinator, draft=draft(steps=[step]))
    assert image.value.code == "foreign_image"


def test_published_guides_are_indexed_and_unpublished_ones_removed(coordinator):
    guide = make_guide(by=coordinator)
    document = indexed("dang-ky-vneid")
    assert document is not None
    assert "Đăng ký tài khoản VNeID" in document["title"]
    assert "Nhập số định danh cá nhân." in document["text"]
    assert "tạo tài khoản vneid" in document["aliases"]
    services.unpublish_guide(guide=guide, by=coordinator)
    assert indexed("dang-ky-vneid") is None
    with pytest.raises(DomainError) as error:
        services.unpublish_guide(guide=guide, by=coordinator)
    assert error.value.code == "not_published"


def test_changed_procedure_is_flagged_until_reviewed(coordinator):
    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    guide = make_guide(by=coordinator, procedures=[procedure])
    # Linked but never reviewed: flagged, every field listed.
    [status] = services.review_status([guide])
    assert [c.fields for c in status.changes] == [("name", "fee", "mode")]
    services.mark_reviewed(guide=guide, by=coordinator)
    assert services.review_status([guide])[0].changes == ()
    review = GuideProcedureReview.objects.get(guide=guide, procedure=procedure)
    assert len(review.fingerprint) == 64

    change_procedure(procedure, fee=True)
    [status] = services.review_status([guide])
    [change] = status.changes
    assert change.procedure == procedure and change.fields == ("fee",)
    assert change.diff == [
        ("fee", "Trực tiếp: 50.000 đ; Trực tuyến: 0 đ", "Trực tiếp: 25.000 đ; Trực tuyến: 0 đ")
    ]

    change_procedure(procedure, name="Đăng ký khai sinh (mới)")
    assert services.review_status([guide])[0].changes[0].fields == ("name", "fee")
    change_procedure(procedure, mode="partial")
    assert services.review_status([guide])[0].changes[0].fields == ("name", "fee", "mode")

    services.mark_reviewed(guide=guide, by=coordinator)
    assert services.review_status([guide])[0].changes == ()
    guide.refresh_from_db()
    assert guide.reviewed_by == coordinator


def test_mark_reviewed_forgets_unlinked_procedures(coordinator):
    one, two = make_procedure("1.001193", "Đăng ký khai sinh"), make_procedure("1.000656", "Đăng ký khai tử")
    guide = make_guide(by=coordinator, procedures=[one, two])
    services.mark_reviewed(guide=guide, by=coordinator)
    services.save_draft(guide=guide, by=coordinator, draft=draft(procedures=[one]))
    services.mark_reviewed(guide=guide, by=coordinator)
    assert list(GuideProcedureReview.objects.filter(guide=guide).values_list("procedure", flat=True)) == [
        one.pk
    ]


def test_review_status_costs_five_queries_for_many_guides(coordinator, django_assert_num_queries):
    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    guides = [make_guide(slug=f"g-{n}", by=coordinator, procedures=[procedure]) for n in range(5)]
    with django_assert_num_queries(5):
        statuses = services.review_status(guides)
    assert all(s.changes for s in statuses)


def test_load_guides_is_idempotent_and_indexes_every_guide():
    seeds = load_seed_files()
    first = services.load_guides(seeds=seeds)
    assert sorted(first.created) == sorted(s.slug for s in seeds)
    assert first.indexed == len(seeds)
    assert Guide.objects.filter(status=Guide.Status.PUBLISHED).count() == len(seeds)
    assert first.missing_procedures["nop-ho-so-truc-tuyen"] == ["1.001193"]
    again = services.load_guides(seeds=seeds)
    assert again.created == again.updated == [] and sorted(again.unchanged) == sorted(first.created)
    assert GuideVersion.objects.count() == len(seeds)
    assert indexed("nop-ho-so-truc-tuyen") is not None


def test_loader_links_procedures_imported_later_and_keeps_editors_text(coordinator):
    seeds = load_seed_files()
    services.load_guides(seeds=seeds)
    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    edited = Guide.objects.get(slug="cai-dat-vneid-muc-1")
    services.save_draft(guide=edited, by=coordinator, draft=draft(title="Sửa trong ứng dụng"))
    changed = [
        parse_seed({"slug": s.slug, "title": s.title + " (sửa)", "steps": s.content.to_dict()["steps"]})
        if s.slug == "cai-dat-vneid-muc-1"
        else s
        for s in seeds
    ]
    report = services.load_guides(seeds=changed)
    assert report.kept_edited == ["cai-dat-vneid-muc-1"]
    assert report.updated == ["nop-ho-so-truc-tuyen"]
    guide = Guide.objects.get(slug="nop-ho-so-truc-tuyen")
    assert list(guide.procedures.all()) == [procedure]
    assert guide.published_version.number == 2 and guide.published_version.procedure_ids == [procedure.pk]
    assert services.review_status([guide])[0].changes == ()  # reviewed when loaded
    edited.refresh_from_db()
    assert edited.title == "Sửa trong ứng dụng"


def test_published_guides_for_a_procedure(coordinator, django_assert_num_queries):
    from xungkich.guides.published import published_guides_for

    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    other = make_procedure("1.000656", "Đăng ký khai tử")
    linked = make_guide(slug="khai-sinh", by=coordinator, procedures=[procedure])
    make_guide(slug="khai-tu", by=coordinator, procedures=[other])
    make_guide(slug="nhap", by=coordinator, procedures=[procedure], publish=False)
    with django_assert_num_queries(1):
        found = published_guides_for(procedure)
    assert found == [{"slug": "khai-sinh", "title": linked.title, "url": "/huong-dan/khai-sinh/"}]
