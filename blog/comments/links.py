"""Signed links sent by mail: a reader's "stop these mails", a moderator's Approve, Spam and Reject.

Holding the link is the authority, as with a password reset link: the signature (SECRET_KEY) proves we made it,
for which comment and which action. A moderator's link also names the moderator, who must still be one when it
is used, and expires after COMMENT_MODERATION_LINK_DAYS; a reader's works for as long as the comment exists, as
mail providers expect of an unsubscribe link. Each opens a page with one button: mail scanners follow links
(GET) but do not press buttons (POST).
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

DECISIONS = ("approve", "spam", "reject")  # the links in a moderator's mail, in its order
UNSUBSCRIBE_SALT = "blog.comment-unsubscribe"
DECISION_SALT = "blog.comment-decision"


def site_url(comment, path):
    """``path`` on the comment's post's site, as a reader's or moderator's mail links to it."""
    site = comment.post.get_site()
    return (site.root_url if site else settings.WAGTAILADMIN_BASE_URL) + path


def unsubscribe_url(comment):
    token = signing.dumps(comment.pk, salt=UNSUBSCRIBE_SALT)
    return site_url(comment, reverse("comment_unsubscribe", args=[token]))


def read_unsubscribe(token):
    """The id of the comment whose replies stop being mailed; ``signing.BadSignature`` for a link we did not make."""
    return signing.loads(token, salt=UNSUBSCRIBE_SALT)


def decision_url(comment, action, user):
    token = signing.dumps({"comment": comment.pk, "action": action, "by": user.pk}, salt=DECISION_SALT)
    return site_url(comment, reverse("comment_decision", args=[token]))


def read_decision(token):
    """``{"comment", "action", "by"}``; ``signing.SignatureExpired`` once too old, ``BadSignature`` if not ours."""
    return signing.loads(token, salt=DECISION_SALT, max_age=settings.COMMENT_MODERATION_LINK_DAYS * 24 * 60 * 60)
