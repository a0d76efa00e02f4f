"""Readers' comments, from the form to "approved and visible", read in this order:

forms.py       the form and its defences against robots (honeypot, signed one-use token)
views.py       posting: size and type checks, closed posts, the per-IP limit, double clicks, storing it pending
tasks.py       once committed, in the worker: Akismet's verdict, then the moderators' mail
spam.py        Akismet: the check, its verdict recorded, and feedback when a moderator corrects it
moderation.py  a moderator's decision on one comment or many, announced with content_changed

models.py holds the comment and its states; admin.py the moderators' screens.
"""
