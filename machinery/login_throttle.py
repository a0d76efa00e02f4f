"""Password forms hold against guessing: what django-axes does not do by itself.

django-axes (settings: AXES_*) counts failed logins per client IP and per
username and refuses a locked-out client at Wagtail's admin login and at the
login form of "login required" pages, as both go through Django's
``authenticate()``. This module adds:

- ``lockout_response``: axes' lockout answer is the login page that was just
  posted, with its errors replaced by a plain message, instead of a bare page;
- ``authenticate_with_password``: Wagtail's shared-password form for private
  pages, which checks its password without ``authenticate()``, reports its
  failures to axes (the "username" is the restriction), so it locks the same way;
- ``PasswordResetView``: Wagtail's password-reset form, sending at most a few
  mails per client IP and per address in a window (``machinery.ratelimit.allow``).
"""

import hashlib

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.forms.utils import ErrorDict
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail import views as wagtail_views
from wagtail.admin.views import account
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import Page, PageViewRestriction

from .ratelimit import allow, client_ip

LOCKOUT_STATUS = 429  # Too Many Requests


def wait_phrase(seconds):
    """'15 minutes', 'an hour', '2 hours': how long to wait, as an editor reads it."""
    seconds = int(seconds)
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return "an hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, -(-seconds // 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def lockout_message(request=None):
    cool_off = get_cool_off(request)
    wait = f"wait {wait_phrase(cool_off.total_seconds())} and " if cool_off else "ask an administrator to unlock it, "
    return f"Too many failed attempts. Please {wait}try again."


def _with_only_error(form, message):
    """The form as it was posted, its errors replaced by ``message`` (bound or not)."""
    form._errors = ErrorDict({"__all__": form.error_class([message], error_class="nonfield", renderer=form.renderer)})
    return form


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the password form the client just posted, showing why it was refused.

    Every throttled form (admin login, front-end login, page password) answers
    with a TemplateResponse whose context holds the form, so the same page is
    rendered again; anything else gets the message as plain text.
    """
    message = lockout_message(request)
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None or not hasattr(form, "error_class"):
        return HttpResponse(message, status=LOCKOUT_STATUS, content_type="text/plain; charset=utf-8")
    _with_only_error(form, message)
    response = TemplateResponse(
        request, original_response.template_name, context, status=LOCKOUT_STATUS, using=original_response.using
    )
    # The middleware that calls this runs after Django renders template responses.
    return response.render()


def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's page-password view, throttled per client IP and per restriction by axes.

    Mounted at Wagtail's own URL and name (site/urls.py), so the forms Wagtail
    renders for private pages post here.
    """
    if request.method != "POST":
        return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    credentials = get_credentials(f"page-password:{restriction.pk}")
    if AxesProxyHandler.is_allowed(request, credentials):
        response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
        if response.status_code != 200:  # a redirect to the page: the password was right
            return response
    else:
        # Locked out: the password is not even looked at. The form comes back, and
        # axes' middleware puts the lockout message on it (lockout_response).
        page = get_object_or_404(Page, id=page_id).specific
        form = PasswordViewRestrictionForm(instance=restriction, initial={"return_url": request.POST.get("return_url")})
        action_url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
        response = page.serve_password_required_response(request, form, action_url)
    # A failure, or a try while locked out: axes counts it and, at the limit, flags the request.
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return response


def password_reset_allowed(request, email):
    """Count one reset mail for this client IP and this address; False when either is over its limit."""
    address = hashlib.sha256(email.strip().casefold().encode()).hexdigest()  # no address in cache keys
    by_ip = allow("password-reset-ip", client_ip(request), *settings.PASSWORD_RESET_RATE_LIMIT_PER_IP)
    by_address = allow("password-reset-email", address, *settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL)
    return by_ip and by_address


class PasswordResetView(account.PasswordResetView):
    """Wagtail's "Forgotten password?" form, sending a limited number of mails.

    Counted whether or not the address belongs to an account, so the answer
    tells nothing about which addresses do.
    """

    def form_valid(self, form):
        if not password_reset_allowed(self.request, form.cleaned_data["email"]):
            window = max(settings.PASSWORD_RESET_RATE_LIMIT_PER_IP[1], settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL[1])
            form.add_error(None, f"Too many password reset requests. Please wait {wait_phrase(window)} and try again.")
            response = self.form_invalid(form)
            response.status_code = LOCKOUT_STATUS
            return response
        return super().form_valid(form)
