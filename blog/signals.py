"""Signal receivers: a new comment is spam-checked once it is safely stored.

The receiver listens to the model's ``post_save`` rather than the form, so a
comment created any other way (a script, an import) is checked too. The check
is enqueued with ``transaction.on_commit``: it only runs once the comment is
committed, and nothing the check does can roll the comment back or fail the
reader's request (``robust=True``: an error in enqueuing is logged, not raised).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Comment
from .tasks import check_new_comment as check_task


@receiver(post_save, sender=Comment, dispatch_uid="blog.check_new_comment")
def check_new_comment(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(partial(check_task.enqueue, instance.pk), robust=True)
