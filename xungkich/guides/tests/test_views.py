"""Guide pages, public and editor. Each: works / outsider 404 / read-only 403 / wrong method 405."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from xungkich.guides import services
from xungkich.guides.models import Guide, GuideImage, GuideVersion
from xungkich.guides.tests.guide_data import make_guide
from xungkich.places.models import ServicePoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(units, coordinator):
    """Maintained by Đoàn phường Hội An (the coordinator's unit)."""
    return make_guide(unit=units["hoian"], by=coordinator)


@pytest.fixture
def draft_guide(units, coordinator):
    return make_guide(slug="ban-nhap", unit=units["hoian"], by=coordinator, publish=False)


# --- Public pages --------------------------------------------------------------------------------


def test_hub_is_public_and_lists_only_published_guides(client, guide, draft_guide):
    response = client.get(reverse("guides:hub"))
    assert response.status_code == 200
    page = response.content.decode()
    assert guide.title in page and reverse("guides:guide", args=[guide.slug]) in page
    assert reverse("guides:guide", args=[draft_guide.slug]) not in page


def test_guide_page_is_public_with_steps_read_aloud_and_handouts(client, guide):
    response = client.get(reverse("guides:guide", args=[guide.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mở ứng dụng VNeID" in page and "Nhập số điện thoại." in page
    assert page.count('data-speak="step-') == 2
    assert 'id="step-1"' in page and "js/guides.js" in page
    assert reverse("guides:handout", args=[guide.slug, "a4"]) in page
    assert reverse("guides:handout", args=[guide.slug, "a5"]) in page


def test_draft_and_unpublished_guides_are_404_for_citizens(client, guide, draft_guide, coordinator):
    assert client.get(reverse("guides:guide", args=[draft_guide.slug])).status_code == 404
    services.unpublish_guide(guide=guide, by=coordinator)
    assert client.get(reverse("guides:guide", args=[guide.slug])).status_code == 404
    assert client.get(reverse("guides:handout", args=[guide.slug, "a4"])).status_code == 404
    assert client.get(reverse("guides:guide", args=["khong-co"])).status_code == 404


def test_citizens_see_the_published_version_not_the_draft(client, guide, coordinator):
    from xungkich.guides.tests.guide_data import draft

    services.save_draft(guide=guide, by=coordinator, draft=draft(title="Bản nháp mới"))
    page = client.get(reverse("guides:guide", args=[guide.slug])).content.decode()
    assert "Bản nháp mới" not in page and "Đăng ký tài khoản VNeID" in page
    services.publish_guide(guide=guide, by=coordinator)
    assert "Bản nháp mới" in client.get(reverse("guides:guide", args=[guide.slug])).content.decode()


@pytest.mark.parametrize("size", ["a4", "a5"])
def test_handout_pdfs_are_public(client, guide, size):
    response = client.get(reverse("guides:handout", args=[guide.slug, size]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"huong-dan-{guide.slug}-{size}.pdf" in response["Content-Disposition"]


def test_unknown_handout_size_is_404(client, guide):
    assert client.get(f"/huong-dan/{guide.slug}/to-huong-dan-a3.pdf").status_code == 404


def test_hub_poster_is_public(client):
    response = client.get(reverse("guides:hub_poster"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "name_args",
    [
        ("guides:hub", []),
        ("guides:hub_poster", []),
        ("guides:guide", ["dang-ky-vneid"]),
        ("guides:handout", ["dang-ky-vneid", "a4"]),
    ],
)
def test_public_pages_refuse_post(client, guide, name_args):
    name, args = name_args
    assert client.post(reverse(name, args=args)).status_code == 405


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (0, 80, 160)).save(out, format="JPEG")
    return out.getvalue()


def test_images_are_public_only_once_published(client, client_for, guide, coordinator, outsider, viewer):
    from xungkich.guides.images import process_upload
    from xungkich.guides.tests.guide_data import STEPS, draft

    step = services.DraftStep(
        title="Màn hình", body="Xem.", image_alt="Màn hình đăng ký", new_image=process_upload(_jpeg())
    )
    services.save_draft(guide=guide, by=coordinator, draft=draft(steps=[*STEPS, step]))
    image = GuideImage.objects.get(guide=guide)
    url = reverse("guides:image", args=[image.pk])
    assert client.get(url).status_code == 403  # a draft screenshot is not public
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    editor = client_for(coordinator).get(url)
    assert editor.status_code == 200 and editor["Content-Type"] == "image/jpeg"
    assert "no-store" in editor["Cache-Control"]
    services.publish_guide(guide=guide, by=coordinator)
    public = client.get(url)
    assert public.status_code == 200 and "max-age=86400" in public["Cache-Control"]
    assert client.post(url).status_code == 405


# --- Editor pages ----------------------------------------------------------------------------------


def test_manage_list_works_for_coordinators_only(
    client, client_for, guide, coordinator, viewer, unit_leader, volunteer_user, kiosk
):
    response = client_for(coordinator).get(reverse("guides:manage_list"))
    assert response.status_code == 200
    assert guide.title in response.content.decode()
    for user in (viewer, unit_leader, volunteer_user, kiosk):
        assert client_for(user).get(reverse("guides:manage_list")).status_code == 403
    assert client.get(reverse("guides:manage_list")).status_code == 302
    assert client_for(coordinator).post(reverse("guides:manage_list")).status_code == 405


def test_manage_list_hides_guides_of_other_wards(client_for, guide, outsider):
    page = client_for(outsider).get(reverse("guides:manage_list")).content.decode()
    assert guide.title not in page


def test_manage_detail(client_for, guide, coordinator, outsider, viewer):
    url = reverse("guides:manage_detail", args=[guide.pk])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200
    assert response.context["can_edit"] is True
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405


def test_coordinator_of_a_branch_reads_but_cannot_edit_a_ward_guide(client_for, guide, units):
    from xungkich.people.models import Role, User

    below = User.objects.create_user(
        username="below", password="x", role=Role.COORDINATOR, unit=units["branch"]
    )
    client = client_for(below)
    response = client.get(reverse("guides:manage_detail", args=[guide.pk]))
    assert response.status_code == 200 and response.context["can_edit"] is False
    assert client.get(reverse("guides:guide_edit", args=[guide.pk])).status_code == 403
    assert client.post(reverse("guides:guide_publish", args=[guide.pk])).status_code == 403


def test_shared_guides_are_edited_by_every_coordinator(client_for, outsider):
    shared = make_guide(slug="chung", unit=None)
    assert client_for(outsider).get(reverse("guides:guide_edit", args=[shared.pk])).status_code == 200


def test_create_guide(client_for, coordinator, outsider, viewer, units):
    url = reverse("guides:guide_create")
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"title": "Hướng dẫn mới", "slug": "huong-dan-moi", "unit": units["hoian"].pk}
    )
    guide = Guide.objects.get(slug="huong-dan-moi")
    assert response.status_code == 302 and response["Location"] == reverse(
        "guides:guide_edit", args=[guide.pk]
    )
    assert guide.unit == units["hoian"] and guide.status == Guide.Status.DRAFT
    # Another ward's unit is not a choice for this coordinator.
    refused = client.post(url, {"title": "X", "slug": "x-y", "unit": units["other"].pk})
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors
    taken = client.post(url, {"title": "X", "slug": "huong-dan-moi"})
    assert "Một hướng dẫn khác đã dùng địa chỉ trang này." in taken.content.decode()
    reserved = client.post(url, {"title": "X", "slug": "quan-ly"})
    assert "slug" in reserved.context["form"].errors
    assert client_for(viewer).get(url).status_code == 403
    assert client.put(url).status_code == 405
    # The outsider may create guides for their own ward.
    assert client_for(outsider).get(url).status_code == 200


def _edit_data(**overrides):
    data = {
        "title": "Đăng ký tài khoản VNeID",
        "summary": "Tóm tắt mới.",
        "prepare": "Thẻ căn cước\nĐiện thoại",
        "needs": ["account", "app"],
        "procedure_codes": "",
        "aliases": "cài vneid\ncài vneid",
        "order": "2",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "2",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "30",
        "steps-0-title": "Mở ứng dụng",
        "steps-0-body": "Bấm vào biểu tượng.",
        "steps-0-ORDER": "2",
        "steps-1-title": "Bấm Đăng ký",
        "steps-1-body": "Nhập số định danh.",
        "steps-1-ORDER": "1",
        "steps-2-title": "",
        "steps-2-body": "",
        "problems-TOTAL_FORMS": "1",
        "problems-INITIAL_FORMS": "0",
        "problems-MIN_NUM_FORMS": "0",
        "problems-MAX_NUM_FORMS": "20",
        "problems-0-problem": "Sai mật khẩu",
        "problems-0-solution": "Đặt lại mật khẩu.",
    }
    data.update(overrides)
    return data


def test_edit_draft_saves_steps_in_the_editors_order(client_for, guide, coordinator):
    url = reverse("guides:guide_edit", args=[guide.pk])
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, _edit_data())
    assert response.status_code == 302, response.context and response.context["form"].errors
    guide.refresh_from_db()
    assert [s["title"] for s in guide.content["steps"]] == ["Bấm Đăng ký", "Mở ứng dụng"]
    assert guide.content["prepare"] == ["Thẻ căn cước", "Điện thoại"]
    assert guide.content["problems"] == [{"problem": "Sai mật khẩu", "solution": "Đặt lại mật khẩu."}]
    assert guide.needs == ["account", "app"] and guide.aliases == ["cài vneid"] and guide.order == 2
    # Not published yet: citizens still see version 1.
    assert guide.published_version.content["steps"][0]["title"] == "Mở ứng dụng VNeID"


def test_edit_draft_deletes_a_step_and_uploads_a_screenshot(client_for, guide, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _edit_data(**{"steps-1-DELETE": "on", "steps-0-image_alt": "Biểu tượng VNeID"})
    data["steps-0-image"] = SimpleUploadedFile("a.jpg", _jpeg(), content_type="image/jpeg")
    response = client_for(coordinator).post(reverse("guides:guide_edit", args=[guide.pk]), data)
    assert response.status_code == 302
    guide.refresh_from_db()
    assert len(guide.content["steps"]) == 1
    image = GuideImage.objects.get(guide=guide)
    assert guide.content["steps"][0]["image_id"] == image.pk


def test_edit_draft_errors_are_shown(client_for, guide, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = _edit_data(procedure_codes="9.999999", **{"steps-0-image_alt": "Ảnh"})
    data["steps-0-image"] = SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")
    response = client_for(coordinator).post(reverse("guides:guide_edit", args=[guide.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "9.999999" in page
    assert response.context["steps"].forms[0].errors["image"]
    data = _edit_data(**{"steps-0-image_alt": ""})
    data["steps-0-image"] = SimpleUploadedFile("a.jpg", _jpeg(), content_type="image/jpeg")
    response = client_for(coordinator).post(reverse("guides:guide_edit", args=[guide.pk]), data)
    assert response.context["steps"].forms[0].errors["image_alt"]


def test_edit_draft_access(client_for, guide, outsider, viewer, coordinator):
    url = reverse("guides:guide_edit", args=[guide.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(viewer).post(url, _edit_data()).status_code == 403
    assert client_for(coordinator).delete(url).status_code == 405


def test_publish_unpublish_and_mark_reviewed(client_for, guide, coordinator, outsider, viewer):
    client = client_for(coordinator)
    publish = reverse("guides:guide_publish", args=[guide.pk])
    assert client.post(publish).status_code == 302
    assert GuideVersion.objects.filter(guide=guide).count() == 2
    unpublish = reverse("guides:guide_unpublish", args=[guide.pk])
    assert client.post(unpublish).status_code == 302
    guide.refresh_from_db()
    assert guide.status == Guide.Status.DRAFT
    again = client.post(unpublish, follow=True)
    assert "Hướng dẫn này chưa được công bố." in again.content.decode()
    reviewed = reverse("guides:guide_mark_reviewed", args=[guide.pk])
    assert client.post(reviewed).status_code == 302
    guide.refresh_from_db()
    assert guide.reviewed_by == coordinator
    for url in (publish, unpublish, reviewed):
        assert client_for(outsider).post(url).status_code == 404
        assert client_for(viewer).post(url).status_code == 403
        assert client.get(url).status_code == 405


def test_publish_errors_are_messages(client_for, coordinator, units):
    empty = services.create_guide(by=coordinator, slug="trong", title="Trống", unit=units["hoian"])
    response = client_for(coordinator).post(reverse("guides:guide_publish", args=[empty.pk]), follow=True)
    assert "Hướng dẫn cần có ít nhất một bước mới công bố được." in response.content.decode()
    assert not GuideVersion.objects.filter(guide=empty).exists()


def test_version_detail(client_for, guide, coordinator, outsider, viewer):
    url = reverse("guides:version_detail", args=[guide.pk, 1])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200 and response.context["version"].number == 1
    assert (
        client_for(coordinator).get(reverse("guides:version_detail", args=[guide.pk, 9])).status_code == 404
    )
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405


def test_review_list_access(client_for, coordinator, viewer):
    url = reverse("guides:review_list")
    assert client_for(coordinator).get(url).status_code == 200
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405


def test_point_poster(client_for, units, coordinator, unit_leader, outsider, viewer):
    point = ServicePoint.objects.create(name="Trung tâm Hội An", unit=units["hoian"])
    url = reverse("guides:point_poster", args=[point.pk])
    response = client_for(coordinator).get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(viewer).get(url).status_code == 403
    assert client_for(coordinator).post(url).status_code == 405
    assert client_for(coordinator).get(reverse("guides:point_poster", args=[99999])).status_code == 404


def test_procedure_page_lists_its_published_guides(client, coordinator):
    from xungkich.guides.tests.guide_data import make_procedure

    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    guide = make_guide(slug="khai-sinh", by=coordinator, procedures=[procedure])
    page = client.get(reverse("catalogue:procedure_detail", args=[procedure.code])).content.decode()
    assert 'id="procedure-guides"' in page and reverse("guides:guide", args=[guide.slug]) in page
    services.unpublish_guide(guide=guide, by=coordinator)
    page = client.get(reverse("catalogue:procedure_detail", args=[procedure.code])).content.decode()
    assert 'id="procedure-guides"' not in page


def test_guide_page_links_its_procedures(client, coordinator):
    from xungkich.guides.tests.guide_data import make_procedure

    procedure = make_procedure("1.001193", "Đăng ký khai sinh")
    guide = make_guide(slug="khai-sinh", by=coordinator, procedures=[procedure])
    page = client.get(reverse("guides:guide", args=[guide.slug])).content.decode()
    assert reverse("catalogue:procedure_detail", args=["1.001193"]) in page and "Đăng ký khai sinh" in page
