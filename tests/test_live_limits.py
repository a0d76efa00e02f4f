"""The per-address comment limit is exact on the real site: gunicorn's workers are separate
processes, so twenty posts at once race each other through the shared cache, on files and on Redis."""

import concurrent.futures
import time

import pytest

from .live_site import needs_service, running_site

REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own, emptied first: windows outlive a test run


@pytest.fixture(scope="module", params=["file cache", "Redis"])
def site(request):
    env = {}
    if request.param == "Redis":
        needs_service(6379, "Redis")
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        env["REDIS_URL"] = REDIS_URL
    with running_site("escribe-limits-", **env) as live:
        yield live


def test_twenty_comments_at_once_from_one_address_let_exactly_ten_through(site):
    post_id = site.page_id("blog.BlogPage", slug="what-happens-when-you-screw-up")
    tokens = [site.comment_token(post_id) for _ in range(20)]
    time.sleep(3.2)  # the form turns away posts sooner than a person could write one
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        statuses = list(
            pool.map(lambda token: site.post_comment(post_id, token, name="Racer", text=f"Race {token[-8:]}"), tokens)
        )
    assert sorted(statuses) == [302] * 10 + [429] * 10
    stored = site.manage(
        "shell", "-c", "from blog.comments.models import Comment; print(Comment.objects.filter(name='Racer').count())"
    )
    assert stored.split()[-1] == "10"
