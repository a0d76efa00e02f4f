"""What link previews show of a page: ``{% social_image page as shared %}`` (templates/includes/social_image.html)."""

from django import template
from wagtail.images import get_image_model
from wagtail.models import Site

from blog import markdown
from home.models import SharingSettings
from machinery.page_cache import KeptPerVersion

register = template.Library()

default_social_images = KeptPerVersion(100)  # a site's id → its default picture for link previews, or None


@register.simple_tag(takes_context=True)
def social_image(context, page=None):
    """The picture link previews show for ``page``: its post image, else the site's default (Settings → Sharing),
    as ``{"url", "width", "height", "alt"}``; None without either."""
    request = context["request"]
    if image_id := getattr(page, "image_id", None):
        return shared_picture(get_image_model().objects.filter(pk=image_id).first(), request)
    site = Site.find_for_request(request)
    if site is None:
        return None
    return default_social_images.get(
        site.pk, lambda: shared_picture(SharingSettings.for_site(site).default_image, request)
    )


def shared_picture(image, request):
    if image is None:
        return None
    try:
        rendition = image.get_rendition(markdown.SOCIAL_SPEC)
    except OSError:  # its file is gone or unreadable: no picture rather than a broken one
        return None
    url = request.build_absolute_uri(rendition.url)
    return {"url": url, "width": rendition.width, "height": rendition.height, "alt": rendition.alt}
