"""Password forms hold against guessing (issue 10, item 4).

Wagtail's admin login and the login form of "login required" pages are
throttled by django-axes, the page-password form by axes through
machinery/login_throttle.py, and password-reset mails by machinery.ratelimit: after a
few failures (mails) from one client IP, or for one username (restriction,
address), further tries are refused with a plain message, the right password
included, until the cool-off has passed.
"""

import datetime
import time
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import resolve, reverse
from wagtail.models import PageViewRestriction

from machinery import login_throttle

from .factories import BlogIndexFactory, BlogPageFactory

PASSWORD = "correct horse battery staple"
LOCKOUT = "Too many failed attempts. Please wait 15 minutes and try again."
RESET_REFUSED = "Too many password reset requests. Please wait an hour and try again."
ATTACKER, OTHER = "203.0.113.66", "198.51.100.7"
ADMIN_LOGIN, FRONTEND_LOGIN = "/admin/login/", "/_util/login/"


@pytest.fixture
def users(db):
    User = get_user_model()
    return {
        name: User.objects.create_superuser(name, f"{name}@example.com", PASSWORD) for name in ("editor", "moderator")
    }


def log_in(client, url, username, password, ip):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in_as(client):
    return client.session.get("_auth_user_id")


def fail(client, url, username, ip, times):
    for n in range(times):
        response = log_in(client, url, username, f"wrong-{n}", ip)
        assert "_auth_user_id" not in client.session
    return response


def assert_locked_out(response, template):
    """Refused with the message, on the login page itself, not a bare error page."""
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT in content
    assert template in [t.name for t in response.templates]
    assert 'name="password"' in content  # the form is there to try again later


def age_failures():
    """Move every recorded failure to just past the cool-off, as if that much time went by."""
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=5)
    )


LOGIN_FORMS = [
    pytest.param(ADMIN_LOGIN, "wagtailadmin/login.html", id="admin-login"),
    pytest.param(FRONTEND_LOGIN, "wagtailcore/login.html", id="login-required-page-form"),
]


def test_login_required_pages_send_readers_to_the_throttled_login_form(client, db):
    blog = BlogIndexFactory()
    post = BlogPageFactory(parent=blog, title="Members only")
    PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(post.url)
    assert response.status_code == 302
    assert response["Location"].startswith(FRONTEND_LOGIN + "?next=")


@pytest.mark.parametrize(("url", "template"), LOGIN_FORMS)
def test_a_few_wrong_passwords_then_even_the_right_one_is_refused(client, users, url, template):
    assert fail(client, url, "editor", ATTACKER, settings.AXES_FAILURE_LIMIT - 1).status_code == 200
    assert_locked_out(fail(client, url, "editor", ATTACKER, 1), template)

    response = log_in(client, url, "editor", PASSWORD, ATTACKER)
    assert_locked_out(response, template)
    assert not logged_in_as(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login page


@pytest.mark.parametrize(("url", "template"), LOGIN_FORMS)
def test_fewer_failures_than_the_limit_do_not_lock(client, users, url, template):
    fail(client, url, "editor", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, url, "editor", PASSWORD, ATTACKER).status_code == 302
    assert logged_in_as(client) == str(users["editor"].pk)


def test_a_locked_username_is_refused_from_any_ip_and_a_locked_ip_for_any_username(client, users):
    fail(client, ADMIN_LOGIN, "editor", ATTACKER, settings.AXES_FAILURE_LIMIT)

    assert_locked_out(log_in(client, ADMIN_LOGIN, "editor", PASSWORD, OTHER), "wagtailadmin/login.html")
    assert_locked_out(log_in(client, ADMIN_LOGIN, "moderator", PASSWORD, ATTACKER), "wagtailadmin/login.html")

    assert log_in(client, ADMIN_LOGIN, "moderator", PASSWORD, OTHER).status_code == 302  # neither: unaffected
    assert logged_in_as(client) == str(users["moderator"].pk)


def test_one_ip_trying_many_usernames_is_locked_out_but_not_the_usernames(client, users):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, ADMIN_LOGIN, f"guess-{n}", "wrong", ATTACKER)

    assert_locked_out(log_in(client, ADMIN_LOGIN, "editor", PASSWORD, ATTACKER), "wagtailadmin/login.html")
    assert log_in(client, ADMIN_LOGIN, "editor", PASSWORD, OTHER).status_code == 302


def test_the_admin_and_the_front_end_login_share_one_count(client, users):
    fail(client, ADMIN_LOGIN, "editor", ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    assert_locked_out(fail(client, FRONTEND_LOGIN, "editor", OTHER, 1), "wagtailcore/login.html")


@pytest.mark.parametrize(("url", "template"), LOGIN_FORMS)
def test_a_lockout_ends_after_the_cool_off(client, users, url, template):
    fail(client, url, "editor", ATTACKER, settings.AXES_FAILURE_LIMIT)
    assert_locked_out(log_in(client, url, "editor", PASSWORD, ATTACKER), template)

    age_failures()
    assert log_in(client, url, "editor", PASSWORD, ATTACKER).status_code == 302
    assert logged_in_as(client) == str(users["editor"].pk)


def test_the_lockout_message_says_how_long_to_wait(settings):
    assert login_throttle.lockout_message() == LOCKOUT
    settings.AXES_COOLOFF_TIME = datetime.timedelta(hours=1)
    assert login_throttle.lockout_message() == "Too many failed attempts. Please wait an hour and try again."
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=30)
    assert login_throttle.lockout_message() == "Too many failed attempts. Please wait a minute and try again."


# The page-password form of Wagtail's Privacy setting: per client IP and per restriction.


@pytest.fixture
def private_posts(db):
    blog = BlogIndexFactory()
    posts = [BlogPageFactory(parent=blog, title=f"Private {n}") for n in range(2)]
    restrictions = [
        PageViewRestriction.objects.create(page=post, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD)
        for post in posts
    ]
    return list(zip(posts, restrictions, strict=True))


def password_url(post, restriction):
    return reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, post.pk])


def try_password(client, post, restriction, password, ip):
    data = {"password": password, "return_url": post.url}
    return client.post(password_url(post, restriction), data, REMOTE_ADDR=ip)


def fail_password(client, post, restriction, ip, times):
    for n in range(times):
        response = try_password(client, post, restriction, f"wrong-{n}", ip)
    return response


def assert_password_locked_out(response):
    assert response.status_code == 429
    content = response.content.decode()
    assert LOCKOUT in content
    assert "wagtailcore/password_required.html" in [t.name for t in response.templates]
    assert 'name="password"' in content


def can_read(client, post, ip):
    return "Some <em>Markdown</em> text." in client.get(post.url, REMOTE_ADDR=ip).content.decode()


def test_private_pages_post_their_password_to_the_throttled_view(client, private_posts):
    post, restriction = private_posts[0]
    content = client.get(post.url).content.decode()
    assert f'action="{password_url(post, restriction)}"' in content
    assert resolve(password_url(post, restriction)).func is login_throttle.authenticate_with_password


def test_page_password_a_few_wrong_then_even_the_right_one_is_refused(client, private_posts):
    post, restriction = private_posts[0]
    response = fail_password(client, post, restriction, ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    assert response.status_code == 200 and LOCKOUT not in response.content.decode()
    assert_password_locked_out(fail_password(client, post, restriction, ATTACKER, 1))

    assert_password_locked_out(try_password(client, post, restriction, PASSWORD, ATTACKER))
    assert not can_read(client, post, ATTACKER)


def test_page_password_right_after_a_few_wrong_still_works(client, private_posts):
    post, restriction = private_posts[0]
    fail_password(client, post, restriction, ATTACKER, settings.AXES_FAILURE_LIMIT - 1)
    response = try_password(client, post, restriction, PASSWORD, ATTACKER)
    assert response.status_code == 302 and response["Location"] == post.url
    assert can_read(client, post, ATTACKER)


def test_page_password_locks_per_restriction_and_per_ip(client, private_posts):
    (post, restriction), (other_post, other_restriction) = private_posts
    fail_password(client, post, restriction, ATTACKER, settings.AXES_FAILURE_LIMIT)

    assert_password_locked_out(try_password(client, post, restriction, PASSWORD, OTHER))  # this restriction, any IP
    assert_password_locked_out(try_password(client, other_post, other_restriction, PASSWORD, ATTACKER))  # this IP
    assert try_password(client, other_post, other_restriction, PASSWORD, OTHER).status_code == 302  # neither
    assert can_read(client, other_post, OTHER)


def test_page_password_lockout_ends_after_the_cool_off(client, private_posts):
    post, restriction = private_posts[0]
    fail_password(client, post, restriction, ATTACKER, settings.AXES_FAILURE_LIMIT)
    assert_password_locked_out(try_password(client, post, restriction, PASSWORD, ATTACKER))

    age_failures()
    assert try_password(client, post, restriction, PASSWORD, ATTACKER).status_code == 302
    assert can_read(client, post, ATTACKER)


def test_page_password_failures_do_not_lock_the_editor_out_by_name(client, users, private_posts):
    post, restriction = private_posts[0]
    fail_password(client, post, restriction, ATTACKER, settings.AXES_FAILURE_LIMIT)
    assert log_in(client, ADMIN_LOGIN, "editor", PASSWORD, OTHER).status_code == 302


# Password-reset mails (Wagtail admin's "Forgotten password?"): per client IP and per address.

RESET = "/admin/password_reset/"


def ask_reset(client, email, ip):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def assert_reset_refused(response):
    assert response.status_code == 429
    assert RESET_REFUSED in response.content.decode()
    assert "wagtailadmin/account/password_reset/form.html" in [t.name for t in response.templates]


@pytest.fixture
def clock():
    """time.time() moved on at will: fixed windows end without waiting.

    The clock keeps running (code that waits on it must not hang), from just after
    midnight, so a test's requests share one window of any length that divides a day.
    """
    real_time = time.time
    offset = [86400 - real_time() % 86400 + 1]
    with mock.patch("time.time", side_effect=lambda: real_time() + offset[0]):
        yield offset


def test_reset_mails_per_address_are_limited(client, users, clock):
    per_address, _ = settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL
    for n in range(per_address):
        assert ask_reset(client, "editor@example.com", f"192.0.2.{n}").status_code == 302
    assert len(mail.outbox) == per_address

    assert_reset_refused(ask_reset(client, "Editor@Example.com", OTHER))  # any IP, any case
    assert len(mail.outbox) == per_address
    assert ask_reset(client, "moderator@example.com", OTHER).status_code == 302  # another address
    assert len(mail.outbox) == per_address + 1


def test_reset_mails_per_ip_are_limited_whether_or_not_the_address_exists(client, users, clock):
    per_ip, _ = settings.PASSWORD_RESET_RATE_LIMIT_PER_IP
    for n in range(per_ip):
        assert ask_reset(client, f"nobody{n}@example.com", ATTACKER).status_code == 302
    assert_reset_refused(ask_reset(client, "editor@example.com", ATTACKER))
    assert mail.outbox == []

    assert ask_reset(client, "editor@example.com", OTHER).status_code == 302  # another IP
    assert len(mail.outbox) == 1


def test_reset_mail_limits_end_with_their_window(client, users, clock):
    per_address, window = settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL
    for _ in range(per_address):
        ask_reset(client, "editor@example.com", ATTACKER)
    assert_reset_refused(ask_reset(client, "editor@example.com", ATTACKER))

    clock[0] += window
    assert ask_reset(client, "editor@example.com", ATTACKER).status_code == 302
    assert len(mail.outbox) == per_address + 1
