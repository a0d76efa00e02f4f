"""What makes cached pages stale: every change a reader could see (see home/page_cache.py)."""

from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from blog.models import Comment, CommentSettings

from .models import SidebarSettings
from .page_cache import invalidate


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
@receiver(post_save, sender=SidebarSettings)
@receiver(post_save, sender=CommentSettings)
@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def content_changed(sender, created=False, **kwargs):
    # A row just created shows nothing new yet: settings are created with the defaults the
    # page was just rendered with, and a new tag appears only when its post is published.
    if not created:
        invalidate()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def visibility_changed(sender, **kwargs):
    """A Privacy setting hides or shows pages from the moment it is made; a Site changes every absolute URL."""
    invalidate()


@receiver(post_migrate, dispatch_uid="page_cache.deployed")
def deployed(sender, **kwargs):
    """Every deploy runs ``migrate``: pages rendered by the old code must not outlive it."""
    invalidate()


@receiver(post_save, sender=Comment)
@receiver(post_delete, sender=Comment)
def comment_changed(sender, instance, **kwargs):
    """Pending and spam comments are invisible to readers: only approved ones change a page."""
    if instance.status == Comment.Status.APPROVED:
        invalidate()
