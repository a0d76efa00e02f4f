"""machinery.ratelimit at unit level: the fixed-window counter and the reader's IP.

Comments, password resets and the login throttle all count attempts with ``allow()``
and key them by ``client_ip()``; Akismet and the comment table store that IP. The
end-to-end behaviour (concurrency through real caches, spoofed headers on the comment
form) is in tests/test_comment_abuse.py; this pins down the rules themselves: window
boundaries with a controlled clock, independent counters, and the X-Forwarded-For walk
under custom TRUSTED_PROXIES settings.
"""

import ipaddress

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from machinery import ratelimit


class Clock:
    """Stands in for the ``time`` module inside machinery.ratelimit only."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(1_000_000 * 60.0)  # on a minute boundary, far from zero
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


def attempts(n, scope="comment", key="192.0.2.1", limit=3, window=60):
    return [ratelimit.allow(scope, key, limit, window) for _ in range(n)]


# allow() ------------------------------------------------------------------------------------------


def test_limit_attempts_per_window_then_refused(clock):
    assert attempts(5) == [True, True, True, False, False]


def test_a_limit_of_one(clock):
    assert attempts(3, limit=1) == [True, False, False]


def test_scopes_count_apart(clock):
    assert attempts(3, scope="comment") == [True] * 3
    assert attempts(1, scope="password-reset-ip") == [True]
    assert attempts(1, scope="comment") == [False]


def test_keys_count_apart(clock):
    assert attempts(4, key="192.0.2.1") == [True, True, True, False]
    assert attempts(3, key="192.0.2.2") == [True] * 3
    assert attempts(1, key="2001:db8::1") == [True]  # colons in the key are fine


def test_a_new_window_starts_afresh(clock):
    assert attempts(4) == [True, True, True, False]
    clock.now += 60
    assert attempts(4) == [True, True, True, False]


def test_windows_are_fixed_not_sliding(clock):
    """The window is the clock's minute, not a minute from the first attempt: the last second
    of one window and the first of the next count apart, and refusals never extend a window."""
    clock.now += 59
    assert attempts(4) == [True, True, True, False]
    clock.now += 1  # one second later, but a new window
    assert attempts(3) == [True, True, True]
    for _ in range(10):  # hammering inside the window is refused ...
        clock.now += 5
        assert not ratelimit.allow("comment", "192.0.2.1", 3, 60)
    clock.now += 10  # ... does not push its end out
    assert attempts(1) == [True]


def test_different_windows_for_the_same_scope_and_key_count_apart(clock):
    """Password resets use a per-IP and a per-address limit; two window lengths never share a counter."""
    assert attempts(3, window=60) == [True] * 3
    assert attempts(1, window=3600) == [True]


def test_counters_live_in_the_ratelimit_cache(clock):
    attempts(2)
    assert caches["ratelimit"].get(f"ratelimit:comment:192.0.2.1:{int(clock.now // 60)}") == 2
    assert caches["default"].get(f"ratelimit:comment:192.0.2.1:{int(clock.now // 60)}") is None


def test_a_counter_that_expires_between_add_and_incr_starts_a_new_count(monkeypatch):
    class Expiring:
        """add() finds the key, then it expires before incr()."""

        def __init__(self):
            self.added = []

        def add(self, key, value, timeout):
            self.added.append(key)
            return len(self.added) > 1

        def incr(self, key):
            raise ValueError(key)

    cache = Expiring()
    monkeypatch.setattr(ratelimit, "caches", {"ratelimit": cache})
    assert ratelimit.allow("comment", "192.0.2.1", 3, 60) is True
    assert len(cache.added) == 2


# client_ip() --------------------------------------------------------------------------------------


def request(remote="127.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_a_load_balancer(settings):
    """Nginx on loopback behind a load balancer on a private network."""
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.1"), ipaddress.ip_network("10.0.0.0/8")]


def test_remote_addr_alone():
    assert ratelimit.client_ip(request("198.51.100.7")) == "198.51.100.7"


def test_remote_addr_is_normalised():
    assert ratelimit.client_ip(request("2001:DB8:0:0:0:0:0:0001")) == "2001:db8::1"
    assert ratelimit.client_ip(request(" 198.51.100.7 ")) == "198.51.100.7"


def test_missing_or_garbage_remote_addr_is_0000_and_trusts_no_header():
    no_address = request(forwarded="198.51.100.7")
    del no_address.META["REMOTE_ADDR"]
    assert ratelimit.client_ip(no_address) == "0.0.0.0"
    assert ratelimit.client_ip(request("unix:/run/gunicorn.sock", "198.51.100.7")) == "0.0.0.0"


def test_forwarded_for_is_ignored_from_an_untrusted_peer(behind_a_load_balancer):
    assert ratelimit.client_ip(request("198.51.100.7", "10.0.0.1")) == "198.51.100.7"
    assert ratelimit.client_ip(request("11.0.0.1", "198.51.100.7")) == "11.0.0.1"  # just outside 10/8


def test_forwarded_for_is_believed_from_any_trusted_network(behind_a_load_balancer):
    assert ratelimit.client_ip(request("10.20.30.40", "198.51.100.7")) == "198.51.100.7"


def test_the_walk_goes_from_the_right_through_every_trusted_hop(behind_a_load_balancer):
    # client → load balancer 10.0.0.2 → nginx on loopback (REMOTE_ADDR)
    assert ratelimit.client_ip(request("127.0.0.1", "198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    # Whatever the client wrote to the left of the address our first proxy saw is ignored.
    assert (
        ratelimit.client_ip(request("127.0.0.1", "192.0.2.66, 203.0.113.1, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"
    )


def test_a_chain_of_only_trusted_hops_gives_the_leftmost(behind_a_load_balancer):
    assert ratelimit.client_ip(request("127.0.0.1", "10.0.0.3, 10.0.0.2")) == "10.0.0.3"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7, nonsense, 10.0.0.2", "10.0.0.2"),  # stops at the garbage, keeps the last good hop
        ("198.51.100.7, , 10.0.0.2", "10.0.0.2"),  # an empty entry is garbage too
        ("198.51.100.7:4321, 10.0.0.2", "10.0.0.2"),  # host:port is not an address
        ("198.51.100.7,10.0.0.2", "198.51.100.7"),  # no space after the comma is fine
        ("  198.51.100.7  ,  10.0.0.2 ", "198.51.100.7"),
        ("nonsense", "127.0.0.1"),
    ],
)
def test_anything_unparsable_ends_the_walk(behind_a_load_balancer, forwarded, expected):
    assert ratelimit.client_ip(request("127.0.0.1", forwarded)) == expected


def test_forwarded_ipv6_is_normalised(settings):
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("::1")]
    assert ratelimit.client_ip(request("::1", "2001:0DB8:0000::0001")) == "2001:db8::1"
    assert ratelimit.client_ip(request("0:0:0:0:0:0:0:1", "198.51.100.7")) == "198.51.100.7"


def test_no_trusted_proxies_means_remote_addr_always(settings):
    settings.TRUSTED_PROXIES = []
    assert ratelimit.client_ip(request("127.0.0.1", "198.51.100.7")) == "127.0.0.1"


def test_the_answer_is_always_an_ip_address(behind_a_load_balancer):
    for forwarded in ["<script>", "' OR 1=1 --", "198.51.100.7\r\nX-Evil: 1", "a" * 10_000, "::ffff:zzzz"]:
        ip = ratelimit.client_ip(request("127.0.0.1", forwarded))
        assert str(ipaddress.ip_address(ip)) == ip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        (" 10.0.0.1\t", "10.0.0.1"),
        ("2001:DB8::0:1", "2001:db8::1"),
        ("", None),
        ("localhost", None),
        ("256.0.0.1", None),
        ("198.51.100.7/32", None),
    ],
)
def test_parse_ip(text, expected):
    assert ratelimit.parse_ip(text) == expected
