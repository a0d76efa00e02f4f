"""The pages of private preview links (blog/previews.py): the draft itself, and the editor's screen to make and
revoke its links, reached from the page editor's "Preview links" panel."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .previews import PreviewLink

NOT_FOUND = "This preview link has expired or was withdrawn. Ask whoever sent it for a new one."


@never_cache
@require_GET
def shared_preview(request, token):
    """The page's latest revision, as the editor's own preview shows it, to whoever holds a live link."""
    link = PreviewLink.objects.active().select_related("page").filter(token=token).first()
    if link is None:
        response = TemplateResponse(request, "blog/preview_gone.html", {"message": NOT_FOUND}, status=404)
    else:
        page = link.page.specific.get_latest_revision_as_object()
        # As Wagtail's make_preview_request marks the request: templates show the draft banner, keep no fragment.
        request.is_preview, request.preview_mode = True, page.default_preview_mode
        request.preview_link = link  # the banner says until when
        response = page.serve_preview(request, page.default_preview_mode)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def editable_page(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def links_url(page):
    return reverse("preview_links", args=[page.pk])


class PreviewLinksView(WagtailAdminTemplateMixin, TemplateView):
    """A page's preview links, live and expired, with buttons to make one and to withdraw each."""

    template_name = "blog/admin/preview_links.html"
    header_icon = "link"

    def dispatch(self, request, page_id):
        self.page = editable_page(request, page_id)
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return "Preview links"

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        links = list(self.page.preview_links.select_related("created_by"))
        for link in links:
            link.url = self.request.build_absolute_uri(reverse("shared_preview", args=[link.token]))
        edit_url = reverse("wagtailadmin_pages:edit", args=[self.page.pk])
        return super().get_context_data(**kwargs) | {
            "page": self.page,
            "links": links,
            "edit_url": edit_url,
            "now": timezone.now(),
            "days": settings.PREVIEW_LINK_DAYS,
        }


@require_POST
def make_preview_link(request, page_id):
    page = editable_page(request, page_id)
    PreviewLink.make(page, request.user)
    messages.success(request, "A new preview link is ready: copy it below and send it to your reader.")
    return redirect(links_url(page))


@require_POST
def revoke_preview_link(request, page_id, link_id):
    page = editable_page(request, page_id)
    deleted, _ = page.preview_links.filter(pk=link_id).delete()
    if not deleted:
        raise Http404("No such preview link.")
    messages.success(request, "The preview link no longer works.")
    return redirect(links_url(page))
