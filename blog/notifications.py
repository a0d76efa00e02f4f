"""Mail to moderators when a comment reaches their queue."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from wagtail.admin.admin_url_finder import AdminURLFinder

logger = logging.getLogger("escribe.comments")

MODERATORS_GROUP = "Moderators"


def moderator_emails():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    moderators = users.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True))
    return list(moderators.values_list("email", flat=True).distinct())


def notify_moderators(comment):
    """Send the mail; a failing mail server is logged, never raised into the reader's request."""
    recipients = moderator_emails()
    if not recipients:
        return
    link = settings.WAGTAILADMIN_BASE_URL + AdminURLFinder().get_edit_url(comment)
    body = (
        f"{comment.name} commented on “{comment.post.title}”:\n\n{comment.text}\n\n"
        f"Approve, reject or mark it as spam: {link}\n"
    )
    try:
        send_mail(f"[E-Scribe] New comment from {comment.name}", body, None, recipients)
    except Exception:  # noqa: BLE001 - any mail failure must leave the comment as it is
        logger.exception("Could not mail the moderators about comment %s", comment.pk)
