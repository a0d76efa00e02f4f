"""Posting a comment.

Why the comment form is exempt from CSRF: post pages are served from a shared
cache to anonymous readers, so a CSRF token in the page would be one reader's
token served to everyone, and readers served from the cache would never get the
matching cookie: every comment would fail with a 403. CSRF protects actions taken
with a logged-in user's authority; posting a comment carries none (the comment
is stored as from whoever the form says, and waits for a moderator), so a forged
post can do nothing a robot posting directly could not. What does guard the form
is what works on a cached page: the honeypot, the signed "form shown at" token
(refreshed by static/js/comments.js when the reader starts typing, and sent again
fresh with every re-displayed form), the per-IP rate limit and Akismet.

The one comment that does carry authority is an editor's, shown at once and marked as
the author's: it is taken as such only when Django's CSRF check passes (pages are never
cached for logged-in users, so theirs carry a token); otherwise it is any reader's.
"""

from django.conf import settings
from django.contrib import messages
from django.db import OperationalError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from blog.markdown import render_comment
from blog.models import BlogPage
from machinery import ratelimit

from .forms import MAX_CHARACTERS, MAX_ID, CommentForm, issue_token
from .models import Comment, CommentSettings, SpamCounter

AWAITING_APPROVAL = (
    "Thanks! Your comment will appear here once a moderator approves it, which may take a few hours or more."
)
BUSY = "The site is busy for a moment and could not take your comment. Please send it again in a minute."
ALREADY_RECEIVED = "We already have this comment, thanks: it will appear here once a moderator approves it."
PUBLISHED = "Your comment is published, marked as the author's."
APPROVED = Comment.Status.APPROVED


# A comment is at most MAX_CHARACTERS; with the other fields, url-encoded, this is plenty.
MAX_BODY_BYTES = 64 * 1024
FORM_ENCODING = "application/x-www-form-urlencoded"


def refuse_body(request):
    """A clear answer for what no comment form sends, before any of it is read."""
    if request.content_type != FORM_ENCODING:
        return HttpResponse("Comments are sent as a web form.", status=415, content_type="text/plain")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length > MAX_BODY_BYTES:
        return HttpResponse(
            f"That is far longer than a comment can be ({MAX_CHARACTERS:,} characters).",
            status=413,
            content_type="text/plain",
        )
    return None


def render_post(request, post, form, status, **context):
    context = {**post.get_context(request), "comment_form": form, "replying_to": form.replying_to, **context}
    context["canonical_path"] = post.get_url(request)  # not the /comments/ address it is shown at
    return TemplateResponse(request, post.get_template(request), context, status=status)


def author(request, post):
    """The editor sending this comment, who may speak as the site's author on this post; else None."""
    user = request.user
    if not (user.is_authenticated and post.permissions_for_user(user).can_edit()):
        return None
    forged = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
    return None if forged else user


def preview(request, post, ip):
    """The comment as it would appear, above the form to send it: nothing stored, the form's token not spent."""
    form = CommentForm(request.POST, post_id=post.pk, previewing=True)
    if not ratelimit.allow("preview", ip, *settings.COMMENT_PREVIEW_RATE_LIMIT):
        form.add_error(None, "You have asked for many previews in a short time. Please wait a few minutes.")
        return render_post(request, post, form, status=429)
    shown = render_comment(form.cleaned_data["text"]) if form.is_valid() else None
    return render_post(request, post, form, status=200, comment_preview=shown)


@csrf_exempt
@require_POST
def post_comment(request, post_id):
    post = get_object_or_404(BlogPage.objects.published(), pk=post_id)
    refused = refuse_body(request)
    if refused:
        return refused
    form = CommentForm(request.POST, post_id=post.pk)
    if not CommentSettings.for_reader(request).accepts_comments(post):
        form.add_error(None, "Comments on this post are closed.")
        return render_post(request, post, form, status=403)
    ip = ratelimit.client_ip(request)
    if "preview" in request.POST:
        return preview(request, post, ip)
    if not ratelimit.allow("comment", ip, *settings.COMMENT_RATE_LIMIT):
        form.add_error(None, "You have sent several comments in a short time. Please wait a few minutes and try again.")
        return render_post(request, post, form, status=429)
    user = author(request, post)
    try:
        with transaction.atomic():
            # Two sends of one form (a double click) wait for each other here, so the second finds the first.
            # Only the lookup and the insert hold the lock: a form with errors is rendered after it.
            BlogPage.objects.select_for_update(of=("self",)).filter(pk=post.pk).values_list("pk").first()
            duplicate = Comment.objects.sent_lately(post, request.POST).exists()
            stored = not duplicate and form.is_valid()
            if stored:
                comment = form.save(commit=False)
                comment.post = post
                comment.set_sender(ip, request.headers.get("User-Agent", ""), request.headers.get("Referer", ""))
                if user:  # shown at once, as the author's
                    comment.user, comment.status, comment.spam_check = user, APPROVED, Comment.SpamCheck.AUTHOR
                comment.save()
    except OperationalError:  # SQLite busy past its timeout (a big import holds the write lock): say so, keep the text
        form.add_error(None, BUSY)
        response = render_post(request, post, form, status=503)
        response["Retry-After"] = "60"
        return response
    if not (duplicate or stored):
        if form.is_robot():
            SpamCounter.add()
        return render_post(request, post, form, status=200)
    if stored and comment.status == APPROVED:
        messages.success(request, PUBLISHED)
        return redirect(f"{post.get_url(request)}#comment-{comment.pk}")
    messages.success(request, ALREADY_RECEIVED if duplicate else AWAITING_APPROVAL)
    # Straight to the thank-you message at the top: the form's own #post-a-comment would otherwise carry over.
    return redirect(post.get_url(request) + "#messages")


@require_GET
def reply_form(request, comment_id):
    """A Reply link followed without JavaScript: the post, its form answering this comment. An address of its
    own under /comments/, which is never cached: a copy of the post per comment would fill the page cache."""
    if comment_id > MAX_ID:
        raise Http404
    comment = Comment.objects.filter(pk=comment_id, post__in=BlogPage.objects.published()).first()
    if comment is None:
        raise Http404
    post = BlogPage.objects.get(pk=comment.post_id)
    if comment.status != APPROVED:  # removed since the link was shown: the plain form
        return redirect(post.get_url(request) + "#post-a-comment")
    return render_post(request, post, CommentForm(), status=200, replying_to=comment)


@never_cache
@require_GET
def comment_token(request, post_id):
    """A fresh form token for a page that came from the cache (see static/js/comments.js)."""
    return JsonResponse({"token": issue_token(post_id)})
