"""The one signal content apps send to the machinery, which imports no content app and so cannot listen to theirs."""

from django.dispatch import Signal

# "Something readers see has changed": sent where no model signal tells the machinery so,
# because rows changed with update() or in bulk (a moderator's decision on many comments,
# the benchmark's data), or because only the content app can judge the change (a comment
# is seen only once approved). Sent with the changed model as sender; the page cache empties on it.
content_changed = Signal()
