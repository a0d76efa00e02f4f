"""The reader's comment form and its defences against robots."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator

from .models import Comment
from .spam import HONEYPOT_FIELD

TOKEN_SALT = "blog.comment-form"  # noqa: S105  (a signing namespace, not a secret)

# Error codes that only a robot earns: those posts are counted as spam killed.
ROBOT_ERRORS = {"honeypot", "too_fast", "tampered"}


def issue_token():
    """A signed "this form was shown at" time: proves when the reader got the form, and that we made it."""
    return signing.dumps(time.time(), salt=TOKEN_SALT)


class CommentForm(forms.ModelForm):
    # The two hidden fields are written by hand in templates/blog/comment_form.html,
    # always with a fresh token and an empty trap, whatever the reader sent.
    issued = forms.CharField(required=False, widget=forms.HiddenInput)
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    text = forms.CharField(
        label="Comment",
        max_length=5000,
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
        fields = ["name", "email", "url", "text"]
        labels = {"name": "Name", "email": "Email"}
        help_texts = {"email": "(Will not be shared)"}
        error_messages = {
            "name": {"required": "Please tell us your name."},
            "email": {"required": "Please give your email address.", "invalid": "That email address looks wrong."},
        }

    def clean(self):
        if self.data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(
                "Your comment looked automated, so it was not sent. If you are a person, please send it again.",
                code="honeypot",
            )
        try:
            age = time.time() - float(signing.loads(self.data.get("issued", ""), salt=TOKEN_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                "Something went wrong with the form. Please send your comment again.", code="tampered"
            ) from None
        if age < settings.COMMENT_MIN_SECONDS:
            raise forms.ValidationError("That was quick! Please check your comment and send it again.", code="too_fast")
        if age > settings.COMMENT_MAX_AGE_SECONDS:
            raise forms.ValidationError(
                "This form was open for a long time, so please check your comment and send it again.", code="expired"
            )
        return super().clean()

    def is_robot(self):
        return any(error.code in ROBOT_ERRORS for error in self.non_field_errors().as_data())
