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
