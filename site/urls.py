"""URL map: Wagtail's admin and documents, a few plain views, then every public page through Wagtail."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import TemplateView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from blog import legacy
from blog.comments import link_views
from blog.comments.views import comment_token, post_comment, reply_form
from blog.preview_views import shared_preview
from home.views import favicon
from machinery import login_throttle
from search.views import search

urlpatterns = [
    # Two of Wagtail's password forms, at Wagtail's own paths and names, throttled
    # against guessing (machinery/login_throttle.py); its logins are throttled by django-axes.
    path("admin/password_reset/", login_throttle.PasswordResetView.as_view(), name="wagtailadmin_password_reset"),
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        login_throttle.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search, name="search"),
    path("comments/post/<int:post_id>/", post_comment, name="post_comment"),
    path("comments/token/<int:post_id>/", comment_token, name="comment_token"),
    path("comments/reply/<int:comment_id>/", reply_form, name="comment_reply"),
    # Signed links in mails (blog/comments/links.py): any text in the token is answered by the view.
    path("comments/unsubscribe/<str:token>/", link_views.unsubscribe, name="comment_unsubscribe"),
    path("comments/decide/<str:token>/", link_views.decision, name="comment_decision"),
    path("preview/<slug:token>/", shared_preview, name="shared_preview"),  # token_urlsafe: a slug's letters
    path("sitemap.xml", sitemap, name="sitemap"),
    path("favicon.ico", favicon),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
    # Old permalinks (blog/legacy.py). A bare number never collides with Wagtail's
    # paths, which all end in a slash (/2016/ is the year archive).
    re_path(r"^(?P<number>\d+)$", legacy.by_number),
    re_path(r"^news/(?P<number>\d+)/?$", legacy.by_number),
    re_path(r"^post/(?P<slug>[-\w]+)/?$", legacy.by_slug),
]

if getattr(settings, "SERVE_MEDIA", False) and not settings.MEDIA_BUCKET:
    # Without nginx in front (make run, tests) Django serves uploaded images, unless they are in a bucket.
    urlpatterns.append(re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}))

urlpatterns.append(path("", include(wagtail_urls)))
