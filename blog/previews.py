"""Private preview links: a draft shown to whoever holds its link, for a limited time, until the editor revokes it.

Built on Wagtail's own preview (``Page.serve_preview`` of the page's latest revision), so the page shows as the
editor's own preview does, marked "draft". Served under /preview/, which neither the page cache nor nginx keeps
and robots.txt asks crawlers to skip; every response also says ``noindex`` and ``no-store``.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import Panel


def new_token():
    return secrets.token_urlsafe(24)  # 192 random bits: not guessed, not listed anywhere


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="preview_links")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Preview of “{self.page.title}” until {self.expires_at:%Y-%m-%d %H:%M}"

    @classmethod
    def make(cls, page, user):
        expires = timezone.now() + datetime.timedelta(days=settings.PREVIEW_LINK_DAYS)
        return cls.objects.create(page=page, created_by=user, expires_at=expires)


class PreviewLinksPanel(Panel):
    """In the page editor: how many preview links of the page work now, and the way to make or withdraw them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/admin/preview_links_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            if self.instance.pk:  # a page being written gets links once saved
                context["active"] = self.instance.preview_links.active().count()
                context["links_url"] = reverse("preview_links", args=[self.instance.pk])
            return context
