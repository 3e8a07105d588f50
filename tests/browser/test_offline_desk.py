"""The offline desk on a phone without a network (docs/helpdesk.md, "Offline desk").

The browser context is set offline as a volunteer in a village would be: the page comes from the
service worker, three sessions are recorded (one with a password in its notes, refused on the phone),
the page is closed and opened again, the phone comes back online and the two records reach the server
once, with the coordinator's dashboard counting them. A response lost on the way back does not make a
second record when the phone sends again.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.conftest import screenshot, sign_in
from xungkich.api.models import IdempotencyKey
from xungkich.helpdesk.models import HelpSession
from xungkich.people.models import AdminUnit

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
SECRET_NOTE = "mật khẩu VNeID của bác là Lan@1960"


def _island_commune() -> AdminUnit:
    """Xã Tân Hiệp (Cù Lao Chàm), as the official list has it (a flushed test database has no list)."""
    city, _ = AdminUnit.objects.get_or_create(
        code="48", defaults={"name": "Thành phố Đà Nẵng", "kind": AdminUnit.Kind.PROVINCE}
    )
    commune, _ = AdminUnit.objects.get_or_create(
        code="20434", defaults={"name": "Xã Tân Hiệp", "kind": AdminUnit.Kind.COMMUNE, "province": city}
    )
    return commune


def _phone(browser, live_server):  # type: ignore[no-untyped-def]
    _island_commune()
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        viewport=PHONE,
        service_workers="allow",
        permissions=["geolocation"],
        geolocation={"latitude": 15.95312, "longitude": 108.49876},  # Xã Tân Hiệp (Cù Lao Chàm)
    )
    return context


def _open_desk(context):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/desk/offline/")
    page.wait_for_selector("body[data-desk-ready]")
    return page


def _volunteer_at_the_desk(context):  # type: ignore[no-untyped-def]
    """The demo volunteer signs in on the phone and opens the offline desk (online)."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "tinhnguyen")
    return _open_desk(context)


def _stored_on_phone(page) -> list[dict]:  # type: ignore[no-untyped-def]
    """Every record the phone keeps, read straight from IndexedDB."""
    return page.evaluate(
        """() => new Promise((resolve, reject) => {
            const open = indexedDB.open("xk-offline-desk");
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const all = open.result.transaction("records").objectStore("records").getAll();
              all.onsuccess = () => resolve(all.result);
              all.onerror = () => reject(all.error);
            };
        })"""
    )


def _count(page, state: str) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator(f"#count-{state}").inner_text())


def _record_door_to_door(page, *, need_label: str, place: str, notes: str = "") -> None:  # type: ignore[no-untyped-def]
    page.locator("#field-place_kind label.chip", has_text="Tận nhà").click()
    page.locator("#field-need label.chip", has_text=need_label).click()
    page.fill("#id_place_text", place)
    page.select_option("#id_place_ward", label="Xã Tân Hiệp")
    if notes:
        page.fill("#id_notes", notes)
    page.click("#save-offline")


def test_three_sessions_offline_two_reach_the_server_once(browser, live_server, demo, open_page):  # type: ignore[no-untyped-def]
    context = _phone(browser, live_server)
    try:
        page = _volunteer_at_the_desk(context)
        # The service worker keeps the page, its files and the procedure list.
        page.wait_for_selector("body[data-offline-ready]")

        context.set_offline(True)
        page.reload()
        page.wait_for_selector("body[data-desk-ready]")
        assert page.locator("#network-state").inner_text().startswith("Ngoại tuyến")

        # 1. An account made at a home on the island, with the phone's position shared.
        page.locator("#field-place_kind label.chip", has_text="Tận nhà").click()
        page.check("#id_share_position")
        page.locator("#position-state", has_text="110 m").wait_for()
        _record_door_to_door(page, need_label="Tài khoản", place="Thôn Bãi Làng, nhà bác Lan, SĐT 0905123456")
        page.locator("#save-result", has_text="Đã lưu").wait_for()

        # 2. A birth registration found in the procedure list kept on the phone.
        page.locator("#field-place_kind label.chip", has_text="Tận nhà").click()
        page.locator("#field-need label.chip", has_text="Nộp hồ sơ").click()
        page.fill("#offline-procedure-search", "dang ky khai sinh")
        pick = page.locator(".procedure-pick").first
        pick.wait_for()
        pick.click()
        assert "khai sinh" in page.input_value("#id_procedure_name").lower()
        page.fill("#id_place_text", "Thôn Bãi Ông")
        page.click("#save-offline")
        page.locator("#count-waiting", has_text="2").wait_for()

        # 3. A password in the notes: refused on the phone, nothing kept.
        _record_door_to_door(page, need_label="Tài khoản", place="Chợ Tân Hiệp", notes=SECRET_NOTE)
        summary = page.locator("#error-summary")
        summary.wait_for()
        assert "mật khẩu" in page.locator("#field-notes .errorlist").inner_text()
        screenshot(page, "offline-desk-secret-refused")
        stored = _stored_on_phone(page)
        assert len(stored) == 2
        assert "Lan@1960" not in json.dumps(stored, ensure_ascii=False)
        # Identifiers are masked before the record is kept: the phone number never sits on the phone.
        assert "0905123456" not in json.dumps(stored, ensure_ascii=False)
        assert any("[SĐT]" in r["body"].get("place_text", "") for r in stored)
        assert {r["state"] for r in stored} == {"waiting"}
        assert HelpSession.objects.count() == 0  # nothing left the phone

        # Close the page and open it again, still offline: the records are still there.
        page.close()
        page = _open_desk(context)
        assert _count(page, "waiting") == 2
        assert page.locator("#summary-local").inner_text() == "2"
        screenshot(page, "offline-desk-waiting")

        # Back online: the two records go, once.
        context.set_offline(False)  # the browser's "online" event starts the sync: no tap needed
        page.locator("#count-synced", has_text="2").wait_for()
        assert _count(page, "waiting") == 0
        assert page.locator("#summary-server").inner_text() == "2"
        screenshot(page, "offline-desk-synced")

        sessions = list(HelpSession.objects.order_by("pk"))
        assert len(sessions) == 2
        first, second = sessions
        assert (first.need, first.place_kind, first.place_ward.name) == (
            "account",
            "door_to_door",
            "Xã Tân Hiệp",
        )
        assert first.place_text == "Thôn Bãi Làng, nhà bác Lan, SĐT [SĐT]"
        assert (str(first.latitude), str(first.longitude)) == ("15.953", "108.499")
        assert first.device_recorded_at is not None and first.helped_on == timezone.localdate()
        assert second.need == "dossier" and "khai sinh" in second.procedure_name.lower()
        assert second.latitude is None  # not shared for this one
        assert IdempotencyKey.objects.count() == 2
        # The phone drops the free text once the server has it.
        assert all("place_text" not in r["body"] for r in _stored_on_phone(page))

        # Sending again (another tab, a second tap) changes nothing.
        page.click("#sync-now")
        page.reload()
        page.wait_for_selector("body[data-desk-ready]")
        assert HelpSession.objects.count() == 2

        # Signing out makes the phone forget the kept pages, not the records.
        page.locator("form[action$='/logout/'] button").click()
        page.wait_for_selector("body[data-offline-forgotten]")
        # (the login page's own files may be kept again at once: they name no one)
        assert page.evaluate("() => caches.match('/desk/offline/').then(kept => kept === undefined)")
        assert not {"xk-data", "xk-guides", "xk-guide-images"} & set(page.evaluate("() => caches.keys()"))
        assert len(_stored_on_phone(page)) == 2

        # The coordinator's dashboard counts them.
        desk = open_page(1280, 900)
        sign_in(desk, "dieuphoi")
        desk.goto("/reports/")
        assert desk.locator("#tile-sessions .report-tile-value").inner_text() == "2"
    finally:
        context.close()


def test_a_lost_answer_is_sent_again_without_a_second_record(browser, live_server, demo):  # type: ignore[no-untyped-def]
    context = _phone(browser, live_server)
    try:
        page = _volunteer_at_the_desk(context)
        dropped = []

        def drop_the_answer(route):  # type: ignore[no-untyped-def]
            # The request reaches the server and is stored; its answer never reaches the phone.
            if route.request.method == "POST" and not dropped:
                response = route.fetch()
                dropped.append(response.status)
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route("**/api/v1/help-sessions", drop_the_answer)
        with page.expect_event("requestfailed", lambda request: request.method == "POST"):
            _record_door_to_door(page, need_label="Cài đặt ứng dụng", place="Chợ Hội An")
        page.wait_for_function("() => !document.body.hasAttribute('data-syncing')")
        assert dropped == [201]
        assert HelpSession.objects.count() == 1  # stored, but the phone does not know it
        assert _count(page, "waiting") == 1

        page.click("#sync-now")
        page.locator("#count-synced", has_text="1").wait_for()
        assert HelpSession.objects.count() == 1
        assert IdempotencyKey.objects.count() == 1
        stored = _stored_on_phone(page)
        assert stored[0]["serverId"] == HelpSession.objects.get().pk
    finally:
        context.close()


def test_a_record_the_server_refuses_is_shown_with_its_reason_and_can_be_corrected(
    browser, live_server, demo
):  # type: ignore[no-untyped-def]
    context = _phone(browser, live_server)
    try:
        page = _volunteer_at_the_desk(context)
        context.set_offline(True)
        _record_door_to_door(page, need_label="Tài khoản", place="Thôn 4")
        page.locator("#count-waiting", has_text="1").wait_for()
        # Meanwhile the commune gets a new official code: the server no longer knows the one kept.
        old_code = _island_commune().code
        AdminUnit.objects.filter(code=old_code).update(code="99999")
        context.set_offline(False)
        page.click("#sync-now")
        page.locator("#count-refused", has_text="1").wait_for()
        reason = page.locator("#records-refused .record-error").inner_text()
        assert reason == f"Không có mã phường/xã: {old_code}"
        screenshot(page, "offline-desk-refused")
        assert HelpSession.objects.count() == 0
        page.reload()  # online: the page comes with the new list
        page.wait_for_selector("body[data-desk-ready]")
        page.click("#records-refused .record-edit")
        page.select_option("#id_place_ward", label="Xã Tân Hiệp")
        page.click("#save-offline")
        page.locator("#count-synced", has_text="1").wait_for()
        assert _count(page, "refused") == 0
        assert HelpSession.objects.get().place_ward.code == "99999"
    finally:
        context.close()


def test_an_unchanged_procedure_list_costs_a_bodiless_answer(browser, live_server, demo, monkeypatch):  # type: ignore[no-untyped-def]
    from xungkich.search import views as search_views

    answers: list[int] = []
    conditional = search_views.get_conditional_response

    def recorded(request, **kwargs):  # type: ignore[no-untyped-def]
        response = conditional(request, **kwargs)
        answers.append(response.status_code if response is not None else 200)
        return response

    monkeypatch.setattr(search_views, "get_conditional_response", recorded)
    context = _phone(browser, live_server)
    try:
        page = _volunteer_at_the_desk(context)
        page.wait_for_selector("body[data-offline-ready]")
        answers.clear()
        # The page asks for the list through the worker, which sends the version it keeps.
        status, procedures = page.evaluate(
            "() => fetch('/search/offline.json')"
            ".then(r => r.json().then(b => [r.status, b.procedures.length]))"
        )
        assert answers == [304]  # the server sent no list
        assert status == 200 and procedures > 40  # the page got the whole list, from the phone
    finally:
        context.close()


def _screenshot_on_the_first_step(slug: str) -> None:
    """A coordinator's screenshot on step 1 of the published guide (the seeds come without pictures)."""
    from PIL import Image

    from xungkich.guides.models import Guide, GuideImage

    guide = Guide.objects.get(slug=slug)
    picture = io.BytesIO()
    Image.new("RGB", (320, 240), "#0b4f9c").save(picture, "JPEG")
    image = GuideImage.objects.create(guide=guide, data=picture.getvalue(), width=320, height=240)
    version = guide.published_version
    version.content["steps"][0].update(image_id=image.pk, image_alt="Màn hình VNeID")
    version.save(update_fields=["content"])


def test_the_guides_opened_recently_open_without_a_network(browser, live_server, demo):  # type: ignore[no-untyped-def]
    call_command("load_guides", stdout=io.StringIO())
    _screenshot_on_the_first_step("cai-dat-vneid-muc-1")
    context = _phone(browser, live_server)
    try:
        page = _volunteer_at_the_desk(context)
        page.wait_for_selector("body[data-offline-ready]")
        assert "Chưa mở hướng dẫn nào" in page.locator("#recent-guides").inner_text()
        page.goto("/huong-dan/cai-dat-vneid-muc-1/")  # opened while online, at the centre
        steps = page.locator("#guide-steps > li").count()
        assert steps == 7
        images = page.locator("#guide-steps img").count()
        assert images == 1
        page.locator("#guide-steps img").scroll_into_view_if_needed()  # loaded lazily, as on a phone
        page.wait_for_function("() => document.querySelector('#guide-steps img').naturalWidth > 0")

        context.set_offline(True)
        page.goto("/desk/offline/")
        page.wait_for_selector("body[data-desk-ready]")
        link = page.locator("#recent-guides a")
        link.wait_for()
        assert link.inner_text() == "Cài ứng dụng VNeID và đăng ký tài khoản mức 1"
        link.click()
        page.wait_for_url("**/huong-dan/cai-dat-vneid-muc-1/")
        assert page.locator("#guide-steps > li").count() == steps  # the whole guide, from the phone
        loaded = page.evaluate(
            "() => [...document.querySelectorAll('#guide-steps img')].filter(i => i.naturalWidth > 0).length"
        )
        assert loaded == images  # and its pictures, kept by the worker:
        kept = page.evaluate(
            "() => caches.open('xk-guide-images')"
            ".then(c => c.keys()).then(k => k.map(r => new URL(r.url).pathname))"
        )
        assert kept == [page.locator("#guide-steps img").get_attribute("src")]
        screenshot(page, "offline-guide")

        # A guide never opened is not there: the desk page says where the volunteer is instead.
        page.goto("/huong-dan/khong-doc-duoc-chip/")
        assert page.locator("#offline-form").count() == 1

        # Signing out forgets them.
        context.set_offline(False)
        page.goto("/desk/offline/")
        page.locator("form[action$='/logout/'] button").click()
        page.wait_for_selector("body[data-offline-forgotten]")
        assert not {"xk-data", "xk-guides", "xk-guide-images"} & set(page.evaluate("() => caches.keys()"))
    finally:
        context.close()
