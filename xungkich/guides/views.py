"""Guide pages. Thin views: an access helper, a form, one service call, a message, a redirect.

Citizens (no account): the hub, the published guides, their handouts and screenshots, the hub
poster. Editors (coordinators, see ``access_guides``): the guide list, new guide, draft editor,
publish / unpublish, versions, the changed-procedure list and "mark reviewed", queue posters.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xungkich.catalogue.facts import find_procedures, procedure_links
from xungkich.core.errors import DomainError
from xungkich.guides import printables, services
from xungkich.guides.access import (
    editable_guides,
    get_editable_guide,
    get_guide_for_editor,
    require_guide_editor,
)
from xungkich.guides.content import GuideContent
from xungkich.guides.forms import (
    GuideCreateForm,
    GuideDraftForm,
    ProblemFormSet,
    StepFormSet,
    formset_rows,
    problems_initial,
    steps_initial,
)
from xungkich.guides.models import Guide, GuideImage, GuideVersion
from xungkich.people.models import User
from xungkich.people.scope import managed_units, visible_units
from xungkich.places.models import ServicePoint
from xungkich.tickets.models import Need


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def search_page_url() -> str:
    """The search page, linked from the hub (by name only: the guides do not depend on search)."""
    try:
        return reverse("search:search")
    except NoReverseMatch:
        return ""


def _published(slug: str) -> tuple[Guide, GuideVersion]:
    guide = (
        Guide.objects.select_related("published_version")
        .filter(slug=slug, status=Guide.Status.PUBLISHED)
        .first()
    )
    if guide is None or guide.published_version is None:
        raise Http404
    return guide, guide.published_version


# --- Citizen pages ---------------------------------------------------------------------------------


@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    """Published guides grouped by the help need they serve first."""
    guides = Guide.objects.filter(status=Guide.Status.PUBLISHED).select_related("published_version")
    labels = dict(Need.choices)
    groups: dict[str, list[dict[str, str]]] = {}
    for guide in guides:
        version = guide.published_version
        assert version is not None
        need = next((n for n in version.needs if n in labels), Need.OTHER)
        summary = GuideContent.from_dict(version.content).summary
        groups.setdefault(need, []).append({"slug": guide.slug, "title": version.title, "summary": summary})
    ordered = [
        {"code": code, "label": labels[code], "guides": groups[code]}
        for code in Need.values
        if code in groups
    ]
    return render(request, "guides/hub.html", {"groups": ordered, "search_url": search_page_url()})


@require_GET
def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide, version = _published(slug)
    return render(
        request,
        "guides/guide_detail.html",
        {
            "guide": guide,
            "version": version,
            "content": GuideContent.from_dict(version.content),
            "procedures": procedure_links(version.procedure_ids),
        },
    )


def _version_label(version: GuideVersion) -> str:
    date = timezone.localtime(version.published_at).strftime("%d/%m/%Y")
    return _("Version %(number)s · %(date)s") % {"number": version.number, "date": date}


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def handout(request: HttpRequest, slug: str, size: str) -> HttpResponse:
    if size not in ("a4", "a5"):
        raise Http404
    guide, version = _published(slug)
    content = GuideContent.from_dict(version.content)
    images = dict(
        GuideImage.objects.filter(guide=guide, pk__in=content.image_ids()).values_list("pk", "data")
    )
    data = printables.render_handout(
        printables.Handout(
            title=version.title,
            content=content,
            url=request.build_absolute_uri(reverse("guides:guide", args=[guide.slug])),
            version_label=_version_label(version),
            images={pk: bytes(blob) for pk, blob in images.items()},
        ),
        "A4" if size == "a4" else "A5",
    )
    return _pdf(data, f"huong-dan-{guide.slug}-{size}.pdf")


@require_GET
def hub_poster(request: HttpRequest) -> HttpResponse:
    url = request.build_absolute_uri(reverse("guides:hub"))
    data = printables.render_poster(
        printables.Poster(
            title="Hướng dẫn dịch vụ công trực tuyến",
            lines=[
                "Quét mã bằng điện thoại",
                "Cài VNeID · Đăng nhập Cổng Dịch vụ công · Nộp hồ sơ · Nộp phí, lệ phí",
            ],
            url=url,
            footer=url,
        )
    )
    return _pdf(data, "pano-huong-dan.pdf")


@require_GET
@cache_control(max_age=86400)
def image(request: HttpRequest, pk: int) -> HttpResponse:
    """A screenshot: public when the guide's published version shows it, else for its editors."""
    picture = get_object_or_404(GuideImage.objects.select_related("guide__published_version"), pk=pk)
    guide = picture.guide
    version = guide.published_version
    public = (
        guide.status == Guide.Status.PUBLISHED
        and version is not None
        and pk in GuideContent.from_dict(version.content).image_ids()
    )
    if not public:
        get_guide_for_editor(request.user, guide.pk)  # 403 / 404 for everyone else
    response = HttpResponse(bytes(picture.data), content_type="image/jpeg")
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response


# --- Editor pages ----------------------------------------------------------------------------------


@require_GET
@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    require_guide_editor(request.user)
    user = _user(request)
    guides = list(editable_guides(user))
    flagged = {s.guide.pk: s for s in services.review_status(guides) if s.changes}
    points = ServicePoint.objects.filter(unit__in=managed_units(user), is_active=True).order_by("name")
    return render(
        request,
        "guides/guide_manage_list.html",
        {"guides": guides, "flagged": flagged, "points": points},
    )


@require_http_methods(["GET", "POST"])
@login_required
def guide_create(request: HttpRequest) -> HttpResponse:
    require_guide_editor(request.user)
    user = _user(request)
    form = GuideCreateForm(request.POST or None, units=managed_units(user))
    if request.method == "POST" and form.is_valid():
        try:
            guide = services.create_guide(
                by=user,
                slug=form.cleaned_data["slug"],
                title=form.cleaned_data["title"],
                unit=form.cleaned_data["unit"],
            )
        except DomainError as error:
            form.add_error("slug", str(error))
        else:
            messages.success(request, _("Guide created. Write its steps, then publish it."))
            return redirect("guides:guide_edit", pk=guide.pk)
    return render(request, "guides/guide_create.html", {"form": form})


@require_GET
@login_required
def manage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guide, can_edit = get_guide_for_editor(request.user, pk)
    status = services.review_status([guide])[0]
    return render(
        request,
        "guides/guide_manage_detail.html",
        {
            "guide": guide,
            "can_edit": can_edit,
            "content": GuideContent.from_dict(guide.content),
            "versions": guide.versions.select_related("published_by").order_by("-number"),
            "procedures": list(guide.procedures.order_by("code")),
            "changes": status.changes,
            "unpublished_changes": services.has_unpublished_changes(guide),
        },
    )


def _find_procedures_map(codes: list[str]) -> dict[str, Any]:
    return {p.code: p for p in find_procedures(codes)}


@require_http_methods(["GET", "POST"])
@login_required
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    guide = get_editable_guide(request.user, pk)
    content = GuideContent.from_dict(guide.content)
    if request.method == "POST":
        form = GuideDraftForm(request.POST, find_procedures=_find_procedures_map)
        steps = StepFormSet(request.POST, request.FILES, prefix="steps")
        problems = ProblemFormSet(request.POST, prefix="problems")
        if form.is_valid() and steps.is_valid() and problems.is_valid():
            data = form.cleaned_data
            draft = services.Draft(
                title=data["title"],
                summary=data["summary"],
                prepare=data["prepare"],
                needs=data["needs"],
                aliases=data["aliases"],
                procedures=data["procedure_codes"],
                order=data["order"],
                steps=[
                    services.DraftStep(
                        title=row["title"],
                        body=row["body"],
                        tip=row.get("tip", ""),
                        image_id=row.get("image_id"),
                        image_alt=row.get("image_alt", ""),
                        new_image=row.get("image"),
                    )
                    for row in formset_rows(steps)
                ],
                problems=[
                    {"problem": row["problem"], "solution": row["solution"]} for row in formset_rows(problems)
                ],
            )
            try:
                services.save_draft(guide=guide, by=_user(request), draft=draft)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Draft saved. Citizens see it once you publish."))
                if "save_and_continue" in request.POST:
                    return redirect("guides:guide_edit", pk=guide.pk)
                return redirect("guides:manage_detail", pk=guide.pk)
    else:
        form = GuideDraftForm(
            initial={
                "title": guide.title,
                "summary": content.summary,
                "prepare": "\n".join(content.prepare),
                "needs": guide.needs,
                "aliases": "\n".join(guide.aliases),
                "procedure_codes": ", ".join(
                    guide.procedures.order_by("code").values_list("code", flat=True)
                ),
                "order": guide.order,
            },
            find_procedures=_find_procedures_map,
        )
        steps = StepFormSet(initial=steps_initial(content), prefix="steps")
        problems = ProblemFormSet(initial=problems_initial(content), prefix="problems")
    return render(
        request,
        "guides/guide_edit.html",
        {"guide": guide, "form": form, "steps": steps, "problems": problems},
    )


def _action(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    guide = get_editable_guide(request.user, pk)
    try:
        action(guide=guide, by=_user(request))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("guides:manage_detail", pk=guide.pk)


@require_POST
@login_required
def guide_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.publish_guide, _("Published. Citizens now see this version."))


@require_POST
@login_required
def guide_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, services.unpublish_guide, _("Unpublished. Citizens no longer see this guide.")
    )


@require_POST
@login_required
def guide_mark_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, services.mark_reviewed, _("Marked as reviewed against its procedures."))


@require_GET
@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    guide, _can_edit = get_guide_for_editor(request.user, pk)
    version = get_object_or_404(GuideVersion, guide=guide, number=number)
    return render(
        request,
        "guides/guide_version.html",
        {"guide": guide, "version": version, "content": GuideContent.from_dict(version.content)},
    )


@require_GET
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """Guides whose linked procedures changed (name, fee, mode) since they were last reviewed."""
    require_guide_editor(request.user)
    statuses = [s for s in services.review_status(editable_guides(_user(request))) if s.changes]
    return render(request, "guides/guide_review_list.html", {"statuses": statuses})


@require_GET
@login_required
def point_poster(request: HttpRequest, pk: int) -> HttpResponse:
    """A poster with a QR code to the point's queue page (/q/<point id>/) for people's own phones."""
    user = _user(request)
    point = ServicePoint.objects.filter(pk=pk).first()
    if point is None or not visible_units(user).filter(pk=point.unit_id).exists():
        raise Http404
    if not managed_units(user).filter(pk=point.unit_id).exists():
        raise PermissionDenied
    url = request.build_absolute_uri(f"/q/{point.pk}/")
    data = printables.render_poster(
        printables.Poster(
            title="Lấy số thứ tự bằng điện thoại",
            lines=[
                point.name,
                "Quét mã, chọn việc cần làm, chờ đến số của bạn",
                "Tình nguyện viên hỗ trợ miễn phí",
            ],
            url=url,
            footer=url,
        )
    )
    return _pdf(data, f"pano-lay-so-{point.pk}.pdf")
