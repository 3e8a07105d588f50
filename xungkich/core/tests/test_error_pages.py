"""The site's own error pages: Vietnamese, styled, with a way back."""

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def _has_way_back(page: str) -> None:
    assert 'href="/"' in page
    assert "Về trang chủ" in page
    assert "Quay lại" in page
    assert "/static/css/app.css" in page
    assert '<html lang="vi">' in page


def test_a_missing_page_is_the_sites_vietnamese_404(client, db):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Không tìm thấy trang" in page
    assert "Not Found" not in page
    _has_way_back(page)


def test_an_object_outside_ones_units_is_a_404_page_too(client_for, outsider, volunteer):
    response = client_for(outsider).get(reverse("people:volunteer_detail", args=[volunteer.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_a_refusal_from_an_access_helper_is_the_sites_403(client_for, volunteer_user):
    response = client_for(volunteer_user).get(reverse("core:audit_list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Bạn không có quyền xem trang này" in page
    assert "403 Forbidden" not in page
    _has_way_back(page)


def test_a_csrf_failure_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "a", "password": "b"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Trang đã hết hạn" in page
    assert "CSRF verification failed" not in page
    _has_way_back(page)


@pytest.mark.urls("xungkich.core.tests.urls_errors")
def test_a_server_error_renders_the_sites_500(db):
    response = Client(raise_request_exception=False).get("/test-boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Đã có lỗi xảy ra" in page
    assert "Server Error" not in page
    _has_way_back(page)


def test_the_500_page_needs_no_request_and_no_database():
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "Đã có lỗi xảy ra" in page


def test_error_pages_follow_the_chosen_language(client, db):
    client.cookies["django_language"] = "en"
    page = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in page
    assert "Back to the home page" in page


# --- favicon --------------------------------------------------------------------------------------


def test_pages_link_the_favicon(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in page


def test_favicon_ico_answers(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.ico"
    assert "max-age=86400" in response["Cache-Control"]


def test_the_favicon_files_are_real_images(settings):
    static = settings.BASE_DIR / "static"
    with Image.open(static / "favicon.ico") as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]
    svg = (static / "favicon.svg").read_text()
    assert svg.startswith("<svg") and "viewBox" in svg
