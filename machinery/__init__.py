"""The site's machinery: what every request or change goes through, whatever the content.

The page cache and what empties it, SQLite's statistics, per-IP limits and the
client's IP, login throttling, security headers, the Site's address from
configuration and the locking file cache. It imports no content app (home, blog,
search): they import it, and the blog tells it of the changes it cannot see with
``signals.content_changed``.
tests/test_architecture.py keeps it that way.
"""
