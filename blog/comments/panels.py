"""The Comments tab of a post's page in the admin: its latest comments, each with a Reply link for its editors."""

from django.urls import reverse
from wagtail.admin.panels import Panel

from .models import MODERATE, Comment

SHOWN = 20  # the latest comments listed; the queue, filtered by the post, has the rest


class CommentsPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/admin/comments_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            post = self.instance
            context["request"] = self.request
            if post.pk:  # a post being written has none
                comments = list(post.comments.approved().select_related("parent").order_by("-created")[:SHOWN])
                for comment in comments:
                    comment.reply_url = reverse(Comment.snippet_viewset.get_url_name("author_reply"), args=[comment.pk])
                context["comments"] = comments
                context["waiting"] = post.comments.pending().count()
                context["queue_url"] = reverse(Comment.snippet_viewset.get_url_name("list")) + f"?post={post.pk}"
                context["moderates"] = self.request.user.has_perm(MODERATE)
            return context
