"""The author's reply, written in the admin: published at once under the comment it answers, marked as the author's.

No Akismet and no queue: the author is an editor of the post (who may publish the post itself). The reader
answered is mailed, if they asked, as after any approved reply (blog/comments/tasks.py). Reached from the
comment's row in the moderation queue and from the post's Comments panel in the page editor (admin.py).
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import MAX_CHARACTERS, printable
from .models import Comment


def may_reply(user, comment):
    """Editors of the comment's post speak as its author; moderators only moderate."""
    return comment.post.permissions_for_user(user).can_edit()


def author_name(user, post):
    """The name the reply is signed with: the editor's own, else the blog's author (its "Author name"), else the
    login name."""
    blog_author = getattr(post.get_parent().specific, "author_name", "")
    return user.get_full_name() or blog_author or user.get_username()


class AuthorReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply",
        max_length=MAX_CHARACTERS,
        validators=[printable],
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Published at once under the comment, with your name and an “author” mark. You may use *emphasis*, "
            "`code`, fenced code blocks, [links](https://example.com) and > quotes, as readers do."
        ),
    )


class AuthorReplyView(WagtailAdminTemplateMixin, FormView):
    form_class = AuthorReplyForm
    template_name = "blog/admin/author_reply.html"
    header_icon = "comment"

    def dispatch(self, request, comment_id):
        self.comment = get_object_or_404(Comment.objects.select_related("post"), pk=comment_id)
        if not may_reply(request.user, self.comment):
            raise PermissionDenied
        return super().dispatch(request, comment_id)

    def get_page_title(self):
        return f"Reply to {self.comment.name}"

    def get_page_subtitle(self):
        return self.comment.post.title

    def get_context_data(self, **kwargs):
        shown = self.comment.status == Comment.Status.APPROVED
        return super().get_context_data(**kwargs) | {"comment": self.comment, "shown": shown, "next": self.next_url()}

    def next_url(self):
        """Where the author came from (the queue, the post's editor), if it is on this site."""
        url = self.request.POST.get("next") or self.request.GET.get("next", "")
        allowed = url_has_allowed_host_and_scheme(url, {self.request.get_host()}, self.request.is_secure())
        return url if allowed else Comment.snippet_viewset.menu_url

    def form_valid(self, form):
        if self.comment.status != Comment.Status.APPROVED:  # readers could not see what it answers
            messages.error(self.request, "Only a comment readers can see can be answered: approve it first.")
            return redirect(self.request.get_full_path())
        user = self.request.user
        reply = Comment.objects.create(
            post=self.comment.post,
            parent=self.comment,
            user=user,
            name=author_name(user, self.comment.post),
            email=user.email,
            text=form.cleaned_data["text"],
            status=Comment.Status.APPROVED,
            spam_check=Comment.SpamCheck.AUTHOR,
        )
        url = self.comment.post.get_url(self.request)
        buttons = [messages.button(f"{url}#comment-{reply.pk}", "See it on the post")] if url else None
        messages.success(self.request, f"Your reply to {self.comment.name} is published.", buttons=buttons)
        return redirect(self.next_url())
