"""The reader's comment form and its defences against robots."""

import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.core.validators import URLValidator

from .models import Comment

HONEYPOT_FIELD = "website"  # the trap field, named so that robots fill it in; Akismet is told its name
TOKEN_FIELD = "issued"  # noqa: S105  (the signed "form shown at" token's field, not a secret)
REPLY_FIELD = "reply_to"  # the id of the comment a reply answers
MAX_CHARACTERS = 5000  # of a comment's text
MAX_ID = 2**31 - 1  # no database is asked about an id its integers cannot hold
TOKEN_SALT = "blog.comment-form"  # noqa: S105  (a signing namespace, not a secret)

# Error codes that only a robot earns: those posts are counted as spam killed.
ROBOT_ERRORS = {"honeypot", "too_fast", "tampered"}


# Control characters have no place in a comment; in the one-line fields, neither have line breaks
# (a name with CR/LF would make the moderators' mail header invalid, and the mail would be lost).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
LINE_BREAKS = re.compile(r"[\t\r\n]")


def printable(value):
    if CONTROL_CHARACTERS.search(value):
        raise forms.ValidationError("Please remove the invisible control characters.", code="control_characters")


def one_line(value):
    printable(value)
    if LINE_BREAKS.search(value):
        raise forms.ValidationError("Please keep this on one line.", code="line_break")


def issue_token(post_id, issued_at=None):
    """A signed "this form for this post was shown at" time, with a nonce so that it is accepted once.

    Proves that we made the form, for which post, and when the reader got it.
    """
    at = time.time() if issued_at is None else issued_at
    return signing.dumps({"at": at, "post": post_id, "nonce": secrets.token_urlsafe(12)}, salt=TOKEN_SALT)


def spend_token(nonce):
    """True the first time a token's nonce is spent; kept as long as a token is valid."""
    return caches["ratelimit"].add(f"comment-token:{nonce}", 1, timeout=settings.COMMENT_MAX_AGE_SECONDS)


def find_reply_to(pk, post_id):
    """The approved comment on the post with this id (as the form sends it, any text), or None."""
    if not (pk.isascii() and pk.isdigit()) or int(pk) > MAX_ID:
        return None
    return Comment.objects.approved().filter(pk=pk, post_id=post_id).first()


class CommentForm(forms.ModelForm):
    """The reader's fields. The token (TOKEN_FIELD), the trap (HONEYPOT_FIELD) and the comment answered (REPLY_FIELD)
    are read from the raw data in ``clean()``: templates/blog/comment_form.html and comment_form_parts.html write
    them by hand, always fresh, whatever the reader sent."""

    text = forms.CharField(
        label="Comment",
        max_length=MAX_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write a comment."},
    )
    url = forms.URLField(
        label="URL",
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="(Optional)",
        error_messages={"invalid": "Enter a web address like https://example.com/."},
    )

    class Meta:
        model = Comment
        fields = ["name", "email", "url", "text", "notify"]
        labels = {"name": "Name", "email": "Email", "notify": "Mail me replies to my comment"}
        help_texts = {
            "email": "(Will not be shared)",
            "notify": "One mail per reply a moderator approves, each with a link to stop them.",
        }
        error_messages = {
            "name": {"required": "Please tell us your name."},
            "email": {"required": "Please give your email address.", "invalid": "That email address looks wrong."},
        }

    def __init__(self, *args, post_id=None, previewing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.post_id, self.previewing = post_id, previewing  # a preview neither spends the token nor is too quick
        self.replying_to = None
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField):
                field.validators.append(printable if name == "text" else one_line)

    def clean(self):
        self.answer_reply_to()
        if self.data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                "Your comment looked automated, so it was not sent. If you are a person, please send it again.",
                code="honeypot",
            )
        try:
            token = signing.loads(self.data.get(TOKEN_FIELD, ""), salt=TOKEN_SALT)
            age = time.time() - float(token["at"])
            if token["post"] != self.post_id:
                raise ValueError("a token for another post")
        except (signing.BadSignature, TypeError, ValueError, KeyError):
            raise forms.ValidationError(
                "Something went wrong with the form. Please send your comment again.", code="tampered"
            ) from None
        if age < settings.COMMENT_MIN_SECONDS and not self.previewing:
            raise forms.ValidationError("That was quick! Please check your comment and send it again.", code="too_fast")
        if age > settings.COMMENT_MAX_AGE_SECONDS:
            raise forms.ValidationError(
                "This form was open for a long time, so please check your comment and send it again.", code="expired"
            )
        # Spent only by a comment that is otherwise fine: a form sent back with a field error carries a new token.
        if not self.errors and not self.previewing and not spend_token(token["nonce"]):
            raise forms.ValidationError(
                "This form was already sent once. To send another comment, please send it again.", code="reused"
            )
        return super().clean()

    def answer_reply_to(self):
        """The comment this one answers (REPLY_FIELD): an approved comment on the same post, or an error that says
        why it cannot be answered, the text kept. Set as the comment's parent, and as ``replying_to`` for the page."""
        replying_to, asked = None, self.data.get(REPLY_FIELD, "")
        if asked:
            replying_to = find_reply_to(asked, self.post_id)
            if replying_to is None:
                self.add_error(
                    None,
                    forms.ValidationError(
                        "The comment you are answering is not shown on this post (it may have been removed), so "
                        "yours was not sent. Send it as a new comment, or answer another one.",
                        code="reply_to_gone",
                    ),
                )
        self.replying_to = self.instance.parent = replying_to

    def is_robot(self):
        return any(error.code in ROBOT_ERRORS for error in self.non_field_errors().as_data())
