"""The pages the mails' signed links open (blog/comments/links.py): a question and one button, then the answer.

Any link, however damaged, forged, expired or outlived by its comment, gets a page that says so and what to do
instead, never an error. The buttons post back to the same address: the signature is the authority, so there is
no CSRF token (and the mail's reader need not be logged in); List-Unsubscribe-Post's one click posts there too.
"""

from django.contrib.auth import get_user_model
from django.core import signing
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import links
from .models import MODERATE, Comment
from .moderation import ApproveAction, RejectAction, SpamAction

ACTIONS = dict(zip(links.DECISIONS, (ApproveAction, SpamAction, RejectAction), strict=True))
DONE = {
    "approve": "Approved: it now shows under its post.",
    "spam": "Marked as spam, and counted in the Spam Report.",
    "reject": "Rejected: readers will not see it.",
}


def answer(request, title, message, status=200, comment=None, button=None):
    context = {"title": title, "message": message, "comment": comment, "button": button}
    return TemplateResponse(request, "blog/comment_link.html", context, status=status)


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """Stop the mails about replies to one comment: asked on GET, done on POST (a button, or a mail client's
    one-click unsubscribe)."""
    try:
        comment = Comment.objects.select_related("post").filter(pk=links.read_unsubscribe(token)).first()
    except signing.BadSignature:
        return answer(
            request,
            "This link does not work",
            "It is incomplete or damaged: please copy it whole from the mail, or use the link in the latest mail.",
            status=400,
        )
    if comment is None:
        return answer(request, "Nothing to stop", "That comment has been removed: no mail will come about it.")
    if request.method == "POST":
        Comment.objects.filter(pk=comment.pk).update(notify=False)
        return answer(
            request,
            "No more mails",
            f"You will get no more mails about replies to your comment on “{comment.post.title}”.",
        )
    return answer(
        request,
        "Stop the mails about replies?",
        f"You asked for a mail when someone replies to your comment on “{comment.post.title}”.",
        comment=comment,
        button="Stop these mails",
    )


def moderator(user_id):
    """The user the link was mailed to, if they may still moderate."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user if user and user.has_perm(MODERATE) else None


@never_cache
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def decision(request, token):
    """A moderator's decision from the mail: the comment and one button on GET, the decision on POST."""
    queue = f"Decide in the comment queue instead: {request.build_absolute_uri(Comment.snippet_viewset.menu_url)}"
    try:
        signed = links.read_decision(token)
        action = ACTIONS[signed["action"]]
    except signing.SignatureExpired:
        return answer(
            request,
            "This link has expired",
            f"The links in a moderator's mail work for a few days. {queue}",
            status=410,
        )
    except (signing.BadSignature, KeyError, TypeError):
        return answer(request, "This link does not work", f"It is incomplete or damaged. {queue}", status=400)
    comment = Comment.objects.select_related("post").filter(pk=signed["comment"]).first()
    if comment is None:
        return answer(request, "Nothing to decide", "That comment has been deleted.", status=404)
    if moderator(signed["by"]) is None:
        return answer(
            request,
            "This link is no longer yours to use",
            "It was mailed to someone who no longer moderates comments here.",
            status=403,
        )
    if request.method == "POST":
        action.decide([comment.pk])
        return answer(request, "Done", DONE[signed["action"]], comment=comment)
    now = f"It is now: {comment.get_status_display().lower()}."
    return answer(request, f"{action.display_name} this comment?", now, comment=comment, button=action.display_name)
