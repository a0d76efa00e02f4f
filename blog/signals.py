"""Signal receivers: a new comment is spam-checked once it is safely stored, and
posts' ``view_restricted`` flags follow the Privacy settings.

The receiver listens to the model's ``post_save`` rather than the form, so a
comment created any other way (a script, an import) is checked too. The check
is enqueued with ``transaction.on_commit``: it only runs once the comment is
committed, and nothing the check does can roll the comment back or fail the
reader's request (``robust=True``: an error in enqueuing is logged, not raised).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import post_page_move

from .models import BlogPage, Comment
from .tasks import check_new_comment as check_task


@receiver(post_save, sender=Comment, dispatch_uid="blog.check_new_comment")
def check_new_comment(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(partial(check_task.enqueue, instance.pk), robust=True)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="blog.restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="blog.restriction_deleted")
@receiver(post_page_move, dispatch_uid="blog.page_moved")
def privacy_changed(sender, **kwargs):
    """A Privacy setting came or went, or a page moved in or out of a restricted section."""
    BlogPage.objects.sync_view_restrictions()
