import datetime as dt

from django.urls import reverse


def test_vietnamese_by_default_and_english_on_request(client_for, coordinator):
    client = client_for(coordinator)
    page = client.get(reverse("people:volunteer_list")).content.decode()
    assert '<html lang="vi">' in page
    assert "Thêm tình nguyện viên" in page

    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("people:volunteer_list")}
    )
    assert response.status_code == 302
    page = client.get(reverse("people:volunteer_list")).content.decode()
    assert '<html lang="en">' in page
    assert "Add a volunteer" in page


def test_dates_are_shown_day_first(client_for, coordinator, volunteer):
    volunteer.birth_date = dt.date(2001, 9, 5)
    volunteer.save(update_fields=["birth_date"])
    page = (
        client_for(coordinator).get(reverse("people:volunteer_detail", args=[volunteer.pk])).content.decode()
    )
    assert "05/09/2001" in page


# --- the page language is chosen by the person, never by the browser ------------------------------


def test_a_browser_set_to_english_still_gets_vietnamese_pages(client_for, coordinator, client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in page
    signed_in = client_for(coordinator)
    page = signed_in.get(
        reverse("people:volunteer_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    ).content.decode()
    assert '<html lang="vi">' in page
    assert "Thêm tình nguyện viên" in page


def test_english_chosen_with_the_switcher_persists_for_a_visitor(client, db):
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": reverse("login")},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    for _ in range(2):
        page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert '<html lang="en">' in page
    client.post(reverse("set_language"), {"language": "vi", "next": reverse("login")})
    assert '<html lang="vi">' in client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_signed_in_users_choice_is_kept_in_their_profile(client_for, coordinator):
    client = client_for(coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    coordinator.refresh_from_db()
    assert coordinator.language == "en"
    # Another phone: no cookie there, the profile decides.
    other = client_for(coordinator)
    other.cookies.pop("django_language", None)
    page = other.get(reverse("people:volunteer_list")).content.decode()
    assert '<html lang="en">' in page
    assert "Add a volunteer" in page
    other.post(reverse("set_language"), {"language": "vi", "next": reverse("home")})
    coordinator.refresh_from_db()
    assert coordinator.language == "vi"


def test_an_unknown_language_is_ignored(client_for, coordinator):
    client = client_for(coordinator)
    client.post(reverse("set_language"), {"language": "fr", "next": reverse("home")})
    coordinator.refresh_from_db()
    assert coordinator.language == ""
    assert '<html lang="vi">' in client.get(reverse("home")).content.decode()


def test_the_api_still_follows_accept_language(client, db):
    vi = client.get("/api/v1/me").json()["message"]
    en = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()["message"]
    assert vi != en
    assert en.isascii()
    assert not vi.isascii()
