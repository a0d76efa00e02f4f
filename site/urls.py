"""URL map: Wagtail's admin and documents, then every public page through Wagtail."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blog.views import comment_token, post_comment
from search.views import search

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search, name="search"),
    path("comments/post/<int:post_id>/", post_comment, name="post_comment"),
    path("comments/token/", comment_token, name="comment_token"),
]

if getattr(settings, "SERVE_MEDIA", False):
    # Without nginx in front (make run, tests) Django serves uploaded images.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})
    )

urlpatterns.append(path("", include(wagtail_urls)))
