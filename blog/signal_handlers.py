"""What the blog follows, connected once from ``BlogConfig.ready()``.

- A new comment is spam-checked once it is safely stored (blog/comments/tasks.py); a reply stored
  approved (the author's) is mailed to the reader it answers.
- An approved comment saved or deleted changes its post's page: the blog says so with
  ``content_changed``, for the page cache, which knows nothing of comments.
- Posts' ``view_restricted`` flags follow the Privacy settings and page moves.
- An imported draft, once published, gets the redirects from its old addresses (blog/importers/redirects.py).
"""

from django.db.models.signals import post_delete, post_save
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, post_page_move

from machinery.signals import content_changed

from .comments.models import Comment
from .comments.tasks import enqueue_check, enqueue_reply_mail
from .importers.models import Import
from .importers.redirects import redirect_once_published
from .importers.tasks import files_deleted_with_their_import
from .models import BlogPage


def comment_changed(sender, instance, **kwargs):
    """Pending, rejected and spam comments are invisible to readers: only approved ones change a page."""
    if instance.status == Comment.Status.APPROVED:
        content_changed.send(sender=Comment)


def privacy_changed(sender, **kwargs):
    """A Privacy setting came or went, or a page moved in or out of a restricted section."""
    BlogPage.objects.sync_view_restrictions()


def register_signal_handlers():
    post_save.connect(enqueue_check, sender=Comment)
    post_save.connect(enqueue_reply_mail, sender=Comment)
    post_save.connect(comment_changed, sender=Comment)
    post_delete.connect(comment_changed, sender=Comment)
    post_save.connect(privacy_changed, sender=PageViewRestriction)
    post_delete.connect(privacy_changed, sender=PageViewRestriction)
    post_page_move.connect(privacy_changed)
    page_published.connect(redirect_once_published, sender=BlogPage)
    post_delete.connect(files_deleted_with_their_import, sender=Import)
