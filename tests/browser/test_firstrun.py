"""A fresh install (no demo) sets up Hà Nội from the first-run page on a phone; its coordinator signs in."""

from __future__ import annotations

from xungkich.demo.area import DEMO_PASSWORD

from .conftest import screenshot, sign_in


def test_a_fresh_install_sets_up_ha_noi_and_its_coordinator_sees_the_units(open_page):
    from xungkich.people.models import OrgUnit, User

    User.objects.create_superuser(username="quantri", password=DEMO_PASSWORD, email="")
    assert not OrgUnit.objects.exists()

    page = open_page(360, 780)
    sign_in(page, "quantri")
    page.wait_for_url("**/setup/")  # the home page of a fresh install sends the superuser here
    page.select_option("select[name=province]", "01")
    page.fill("input[name=full_name]", "Nguyễn Thị Thủ Đô")
    page.fill("input[name=username]", "dieuphoi.hanoi")
    page.fill("input[name=password1]", DEMO_PASSWORD)
    page.fill("input[name=password2]", DEMO_PASSWORD)
    page.fill("input[name=point_name]", "Trung tâm Phục vụ hành chính công thành phố Hà Nội")
    page.fill("input[name=point_address]", "258 Võ Chí Công, Tây Hồ")
    # The page fits a phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "firstrun-setup-360")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/people/units/")
    assert "Thành đoàn Hà Nội" in page.inner_text("main")
    assert OrgUnit.objects.get(parent=None).children.count() == 126

    phone = open_page(360, 780)
    sign_in(phone, "dieuphoi.hanoi")
    phone.goto("/people/units/")
    text = phone.inner_text("main")
    assert "Thành đoàn Hà Nội" in text and "Đoàn phường Hoàn Kiếm" in text and "Đoàn xã Sóc Sơn" in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "firstrun-coordinator-units-360")
    # Set up now: the page is gone, for the superuser too.
    assert page.goto("/setup/").status == 404
