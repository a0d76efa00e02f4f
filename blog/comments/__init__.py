"""Readers' comments, from the form to "approved and visible", read in this order:

forms.py           the form and its defences against robots (honeypot, signed one-use token), and whom a reply answers
views.py           posting: size and type checks, closed posts, the per-IP limit, double clicks, storing it pending
tasks.py           once committed, in the worker: Akismet's verdict, then the moderators' mail; mail about replies
spam.py            Akismet: the check, its verdict recorded, and feedback when a moderator corrects it
moderation.py      a moderator's decision on one comment or many, announced with content_changed
links.py           the signed links in those mails; link_views.py the pages they open
author_replies.py  the author's reply from the admin

models.py holds the comment, its states and a post's conversation; admin.py the moderators' screens,
panels.py the Comments tab of a post's page in the admin.
"""
