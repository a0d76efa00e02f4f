"""`make bench`: how fast E-Scribe serves its pages, at 100 posts and at 10,000.

For each size it builds a data set in its own folder (bench/data/<size>/), starts
gunicorn with production settings twice (page cache off, then on) and nginx in
front of the second, and measures with wrk (best of two rounds): each page
uncached, from the app's cache, through nginx, and nginx serving a static file of
the same bytes. It also counts each page's SQL queries, reads each worker's peak
memory, times the data generator, and checks how soon readers see a new post and an
approved comment. With the worker beside the site (two processes, as `make run`
starts one), it times posting a comment while Akismet's stand-in takes 2 s to
answer, measures readers' throughput while 32 posters each send a comment every
2 s through a hanging Akismet, against the same pages with no posters, checks that
every comment sent was stored once, and times how long after Akismet comes back
every comment has its verdict. It watches the front page's p99 in the 10 s after an approval
empties the cache (the thundering herd), and through workers that restart every 1,000 to
2,000 requests. The 10,000-post set is measured on SQLite and, when
PostgreSQL and Redis run on this machine, on PostgreSQL with Redis as well. The table
is printed and written to bench/results/ as Markdown and JSON.

A benchmark, not a test: figures vary with the machine; compare within one run.
"""

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.akismet_standin import AkismetStandIn  # noqa: E402
from tests.live_site import (  # noqa: E402
    APPROVE,
    PUBLISH,
    poll,
    reachable,
    seconds_until,
    start_gunicorn,
    start_nginx,
    stop_server,
)

PYTHON = sys.executable
SIZES = [  # (label, posts, comments, tags, scale-out services: PostgreSQL and Redis)
    ("100 posts", 100, 1_000, 50, False),
    ("10,000 posts", 10_000, 100_000, 500, False),
    ("10,000 posts, PostgreSQL + Redis", 10_000, 100_000, 500, True),
]
POSTGRES_URL, REDIS_URL = "postgres://postgres@127.0.0.1:5432/escribe_bench", "redis://127.0.0.1:6379/13"
PAGES = {  # what a reader asks for, by name
    "front page": "/",
    "post, 50 comments": "/bench-busy/",
    "tag page": "/tag/bench-tag-001/",
    "year archive": "/2016/",
    "RSS feed": "/feed/",
    "search": "/search/?q=allspaw",  # a word in one post: ranked, best match first
    "search, common word": "/search/?q=django",  # a word in every post: newest first (search/views.py)
}
WRK = ["wrk", "-t2", "-c16", "--latency"]
WRK_SECONDS = 5
WRK_MAX = Path(__file__).with_name("wrk_max.lua")  # adds the slowest request to wrk's report
APP_PORT, CACHED_APP_PORT, NGINX_PORT, AKISMET_PORT, FLOOR_PORT, RECYCLING_PORT = range(18301, 18307)
HERD_SECONDS = 10  # how long readers are watched after a change empties the cache, and steady beforehand
RECYCLE_EVERY = 1000  # max_requests for the recycling row: each worker restarts after 1,000 to 2,000 requests
COMMENT_POSTS = 20
POSTERS, POSTING_EVERY = 32, 2.0  # comments sent while readers are measured: one per poster every 2 s
WORKERS = 2
READERS = itertools.count(1)  # each comment from an address of its own (next() on a count is thread-safe)


def run(command, env=None, **options):
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, **options).stdout


def postgres_and_redis_running():
    return reachable(5432) and reachable(6379)


def create_database(url):
    """The benchmark's own PostgreSQL database, made on the first run."""
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def ensure_free(port):
    """Refuse to measure a server left over from another run that still holds our port."""
    if reachable(port):
        sys.exit(f"Port {port} is in use: stop whatever listens there and run make bench again.")


def wrk(url, seconds=WRK_SECONDS, meanwhile=None):
    """Requests per second, p50, p99 and slowest latency in ms; ``meanwhile()``, if given, is called once the
    load is on."""
    load = subprocess.Popen([*WRK, f"-d{seconds}s", "-s", WRK_MAX, url], stdout=subprocess.PIPE, text=True)
    if meanwhile:
        time.sleep(0.5)
        meanwhile()
    output = load.communicate()[0]

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\b", output, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "max_ms": round(int(re.search(r"^slowest_us (\d+)", output, re.M).group(1)) / 1000, 1),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def best_of_two(urls):
    """Each named URL measured twice, the rounds interleaved, keeping its faster run: wrk, the servers
    and whatever else the machine does share two cores, and one run alone can lose a third."""
    rounds = [{name: wrk(url) for name, url in urls.items()} for _ in range(2)]
    return {name: max((r[name] for r in rounds), key=lambda m: m["rps"]) for name in urls}


class Size:
    def __init__(self, label, posts, comments, tags, scale_out):
        self.label, self.posts, self.comments, self.tags = label, posts, comments, tags
        self.folder = PROJECT / "bench" / "data" / (f"{posts}-posts" + ("-postgres" if scale_out else ""))
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "site.settings.production",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "0",
            "ESCRIBE_DATA_DIR": str(self.folder),
            "AKISMET_API_KEY": "bench-key",
            "AKISMET_API_URL": f"http://127.0.0.1:{AKISMET_PORT}",
            "AKISMET_BLOG_URL": "http://127.0.0.1",
            "GUNICORN_ACCESSLOG": "/dev/null",
        }
        if scale_out:
            self.env |= {"DATABASE_URL": POSTGRES_URL, "REDIS_URL": REDIS_URL}

    def manage(self, *args, **env):
        return run([PYTHON, PROJECT / "manage.py", *args], env={**self.env, **env})

    def build(self):
        """The data set, made once and reused by later runs (the generator is idempotent)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if "DATABASE_URL" in self.env:
            create_database(self.env["DATABASE_URL"])
        self.manage("migrate", "--noinput")
        self.manage("load_demo")
        started = time.monotonic()
        sizes = [f"--posts={self.posts}", f"--comments={self.comments}", f"--tags={self.tags}"]
        self.manage("generate_bench_data", *sizes)
        self.generator_seconds = round(time.monotonic() - started, 1)
        self.manage("collectstatic", "--noinput")

    def queries(self):
        code = (
            "import json\n"
            "from django.db import connection\n"
            "from django.test import Client\n"
            "from django.test.utils import CaptureQueriesContext\n"
            "client, counts = Client(), {}\n"
            f"for name, url in {PAGES!r}.items():\n"
            "    client.get(url)\n"
            "    with CaptureQueriesContext(connection) as q:\n"
            "        status = client.get(url).status_code\n"
            "    counts[name] = len(q) if status == 200 else f'HTTP {status}'\n"
            "print(json.dumps(counts))\n"
        )
        return json.loads(self.manage("shell", "-c", code, PAGE_CACHE="0").strip().splitlines()[-1])

    def gunicorn(self, port, page_cache):
        ensure_free(port)
        return start_gunicorn(port, {**self.env, "PAGE_CACHE": "1" if page_cache else "0"})

    def floor(self, page):
        """bench/floor.py behind the same gunicorn, answering with ``page``'s bytes."""
        ensure_free(FLOOR_PORT)
        (self.folder / "floor.html").write_bytes(page)
        env = {**self.env, "FLOOR_PAGE": str(self.folder / "floor.html"), "PYTHONPATH": str(PROJECT)}
        return start_gunicorn(FLOOR_PORT, env, app="bench.floor:application")

    def nginx(self, prefix):
        ensure_free(NGINX_PORT)
        return start_nginx(prefix, CACHED_APP_PORT, NGINX_PORT, self.folder)

    def post_id(self):
        code = "from blog.models import BlogPage; print(BlogPage.objects.get(slug='bench-busy').pk)"
        return self.manage("shell", "-c", code).split()[-1]

    def when_told(self, code):
        """A ``manage.py shell``, Django loaded, that runs ``code`` when told: returns the call that tells it and
        the process, which ends once its stdin closes. The change lands at a moment of our choosing, not after the
        seconds Django takes to start, and the shell's own ending (Python tearing down Django: about half a second
        of a core) falls outside what is measured, as a moderator's approval in the admin has none."""
        script = f"print('ready', flush=True)\ninput()\n{code}\nimport sys\nsys.stdin.read()"
        command = [PYTHON, PROJECT / "manage.py", "shell", "-c", script]
        shell = subprocess.Popen(command, env=self.env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        while shell.stdout.readline().strip() != "ready":  # after what the shell itself says
            assert shell.poll() is None, "the shell failed to start"

        def tell():
            shell.stdin.write("\n")
            shell.stdin.flush()

        return tell, shell

    def herd(self):
        """The front page from the app's cache and through nginx: HERD_SECONDS of steady load, then HERD_SECONDS
        that begin with a comment's approval, which makes every cached page stale at once. The comment goes to
        the post freshness() published, never to a bench post, whose counts the generator checks."""
        result = {}
        for name, port in (("app cache", CACHED_APP_PORT), ("nginx", NGINX_PORT)):
            url = f"http://127.0.0.1:{port}/"
            approve, shell = self.when_told(APPROVE.format(slug=self.fresh_slug, name=f"Herd {time.time()}"))
            result[name] = {"steady": wrk(url, HERD_SECONDS), "after an approval": wrk(url, HERD_SECONDS, approve)}
            shell.communicate()
            assert shell.returncode == 0, "the approval failed"
        return result

    def recycling(self):
        """The front page from the app's cache while each worker restarts every RECYCLE_EVERY to 2 x RECYCLE_EVERY
        requests (deploy/gunicorn.conf.py with max_requests lowered), and how many restarts that run saw."""
        ensure_free(RECYCLING_PORT)
        log = self.folder / "recycling.log"
        env = {**self.env, "PAGE_CACHE": "1", "GUNICORN_MAX_REQUESTS": str(RECYCLE_EVERY)}
        url, restarts = f"http://127.0.0.1:{RECYCLING_PORT}/", lambda: log.read_text().count("Autorestarting worker")
        server = start_gunicorn(RECYCLING_PORT, env, log=log)
        try:
            wrk(url, 2)  # the first workers' first requests, as the steady run had them behind it
            before = restarts()
            measured = wrk(url, HERD_SECONDS)
            return {**measured, "restarts": restarts() - before}
        finally:
            stop_server(server)

    def waiting_for_akismet(self, prefix):
        """How many comments whose text starts with ``prefix`` still wait for Akismet's verdict."""
        code = (
            "from blog.comments.models import Comment\n"
            f"print(Comment.objects.awaiting_spam_check().filter(text__startswith={prefix!r}).count())"
        )
        return int(self.manage("shell", "-c", code).split()[-1])

    def stored(self, prefix):
        """How many comments whose text starts with ``prefix`` were stored, and how many distinct texts."""
        code = (
            "from blog.comments.models import Comment\n"
            f"texts = list(Comment.objects.filter(text__startswith={prefix!r}).values_list('text', flat=True))\n"
            "print(len(texts), len(set(texts)))"
        )
        return [int(n) for n in self.manage("shell", "-c", code).split()[-2:]]

    def workers(self):
        return [
            subprocess.Popen(
                [PYTHON, PROJECT / "manage.py", "worker", "--no-reload", "-v0"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(WORKERS)
        ]

    def freshness(self):
        """After a publish, and after a comment's approval: does the app's very next response show
        it, and how many seconds until nginx's does? Each run adds one post, never named bench-…"""
        app, nginx = f"http://127.0.0.1:{CACHED_APP_PORT}", f"http://127.0.0.1:{NGINX_PORT}"
        slug = self.fresh_slug = f"fresh-{datetime.now():%Y%m%d-%H%M%S}"
        result = {}
        for change, path, code, text in (
            ("publish", "/", PUBLISH.format(title=slug, slug=slug), slug),
            ("approve", f"/{slug}/", APPROVE.format(slug=slug, name=f"Approved {slug}"), f"Approved {slug}"),
        ):
            for base in (app, nginx):
                urllib.request.urlopen(base + path).read()
            self.manage("shell", "-c", code)
            next_response = text in urllib.request.urlopen(app + path).read().decode()
            result[change] = {"app next response": next_response, "nginx seconds": seconds_until(nginx + path, text)}
        return result


class Poster:
    """Sends comments to the busy post as readers do, each from an address of its own (behind the
    trusted proxy that loopback is), so that the per-IP limit never turns the benchmark away."""

    def __init__(self, base, post_id, count):
        """With ``count`` form tokens, to be used three seconds later at the soonest."""
        self.base, self.post_id = base, post_id
        self.tokens = [self.token() for _ in range(count)]

    def token(self):
        return json.load(urllib.request.urlopen(f"{self.base}/comments/token/{self.post_id}/"))["token"]

    def send(self, text):
        """Seconds the POST took, or None if it was not answered with the redirect to the post."""
        data = {"name": "Bench", "email": "b@example.com", "text": text, "issued": self.tokens.pop(), "website": ""}
        request = urllib.request.Request(
            f"{self.base}/comments/post/{self.post_id}/",
            data=urllib.parse.urlencode(data).encode(),
            headers={"X-Forwarded-For": address(next(READERS))},
        )
        started = time.monotonic()
        try:
            response = urllib.request.build_opener(NoRedirect).open(request, timeout=60)
        except OSError:
            return None
        return time.monotonic() - started if response.status == 302 else None


def address(n):
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


def percentile(values, percent):
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))] * 1000)


def comment_timing(size, base, akismet):
    """POST p50/p99 in ms over COMMENT_POSTS comments, with Akismet answering in 2 s (to the worker)."""
    akismet.delay = 2.0
    try:
        poster = Poster(base, size.post_id(), COMMENT_POSTS)
        time.sleep(3.1)  # the form turns away posts sooner than a person could write
        timings = [poster.send(f"Timing {time.time()} {n}") for n in range(COMMENT_POSTS)]
    finally:
        akismet.delay = 0.2
    answered = [t for t in timings if t is not None]
    return {"p50_ms": percentile(answered, 50), "p99_ms": percentile(answered, 99), "failed": timings.count(None)}


def readers_while_posting(size, base, akismet):
    """Readers' requests per second on the front page and the busy post, uncached, without and then with
    POSTERS sending comments through a hanging Akismet, each best of two interleaved rounds (as the page
    rows are); then whether every comment sent was stored once, and how long after Akismet answers again
    every one of them has its verdict."""
    pages = {name: base + PAGES[name] for name in ("front page", "post, 50 comments")}
    prefix = f"Load {time.time()}"
    quiet, busy, sent = {}, {}, []
    akismet.answering.clear()
    try:
        for _ in range(2):
            for name, rps in {name: wrk(url)["rps"] for name, url in pages.items()}.items():
                quiet[name] = max(quiet.get(name, 0), rps)
            for name, rps in post_while(
                size, base, prefix, sent, lambda: {n: wrk(u)["rps"] for n, u in pages.items()}
            ).items():
                busy[name] = max(busy.get(name, 0), rps)
    finally:
        answering_again = time.monotonic()
        akismet.answering.set()
    checked = poll(lambda: size.waiting_for_akismet(prefix) == 0, 300, 1)
    stored, distinct = size.stored(prefix)
    return {
        "rps without posters": quiet,
        "rps with posters": busy,
        "comments sent": len(sent),
        "stored": stored,
        "duplicates": stored - distinct,
        "all checked, seconds after Akismet is back": None
        if checked is None
        else round(time.monotonic() - answering_again, 1),
    }


def post_while(size, base, prefix, sent, measure):
    """What ``measure()`` returns while POSTERS each send a comment every POSTING_EVERY seconds; each
    comment answered with the redirect is added to ``sent``."""
    per_poster = int(2 * 5 * 2 / POSTING_EVERY) + 4  # two wrk runs' length, with room
    post_id = size.post_id()
    posters = [Poster(base, post_id, per_poster) for _ in range(POSTERS)]
    time.sleep(3.1)  # the form turns away posts sooner than a person could write
    stop = threading.Event()

    def post(number, poster):
        while not stop.is_set() and poster.tokens:
            text = f"{prefix} {number}.{len(poster.tokens)}.{time.monotonic()}"
            if poster.send(text) is not None:
                sent.append(text)
            stop.wait(POSTING_EVERY)

    threads = [threading.Thread(target=post, args=(n, p)) for n, p in enumerate(posters)]
    try:
        for thread in threads:
            thread.start()
        return measure()
    finally:
        stop.set()
        for thread in threads:
            thread.join()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """The comment's 302 is what is timed: hand it back instead of following it."""

    def http_error_302(self, request, response, code, message, headers):
        return response


def worker_peak_memory_mb(master):
    """Each gunicorn worker's peak resident memory (VmHWM), in MB."""
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:  # the process ended meanwhile
            continue
        if re.search(rf"^PPid:\s+{master.pid}$", text, re.M):
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", text).group(1)) / 1024)
    return round(max(peaks), 1) if peaks else None


def measure(size, work, akismet):
    size.build()
    result = {"generator_s": size.generator_seconds, "queries": size.queries(), "pages": {}}
    servers = size.workers()
    try:
        servers.append(plain := size.gunicorn(APP_PORT, page_cache=False))
        servers.append(cached := size.gunicorn(CACHED_APP_PORT, page_cache=True))
        servers.append(size.nginx(work / "nginx"))
        busy_post = urllib.request.urlopen(f"http://127.0.0.1:{APP_PORT}{PAGES['post, 50 comments']}").read()
        servers.append(size.floor(busy_post))
        result["floor"] = best_of_two({"floor": f"http://127.0.0.1:{FLOOR_PORT}/"})["floor"]
        static_root = size.folder / "static"
        for name, path in PAGES.items():
            body = urllib.request.urlopen(f"http://127.0.0.1:{CACHED_APP_PORT}{path}").read()
            (static_root / "bench-copy.html").write_bytes(body)
            # A site that has been serving: nginx holds the page already (a cold entry makes the
            # readers queued behind its cache lock wait up to 500 ms, nginx's fixed polling step).
            urllib.request.urlopen(f"http://127.0.0.1:{NGINX_PORT}{path}").read()
            result["pages"][name] = {
                "bytes": len(body),
                **best_of_two(
                    {
                        "uncached": f"http://127.0.0.1:{APP_PORT}{path}",
                        "app cache": f"http://127.0.0.1:{CACHED_APP_PORT}{path}",
                        "nginx": f"http://127.0.0.1:{NGINX_PORT}{path}",
                        "static file": f"http://127.0.0.1:{NGINX_PORT}/static/bench-copy.html",
                    }
                ),
            }
        result["worker_peak_mb"] = max(worker_peak_memory_mb(plain) or 0, worker_peak_memory_mb(cached) or 0)
        result["freshness"] = size.freshness()
        result["herd"] = size.herd()
        result["recycling"] = size.recycling()
        result["comment_post"] = comment_timing(size, f"http://127.0.0.1:{CACHED_APP_PORT}", akismet)
        result["under load"] = readers_while_posting(size, f"http://127.0.0.1:{APP_PORT}", akismet)
    finally:
        for process in reversed(servers):
            stop_server(process)
    return result


def table(results):
    lines = [
        "| size | page | queries | uncached rps (p50/p99 ms) | uncached ÷ floor | app cache rps (p50/p99) "
        "| nginx rps (p50/p99) | static file rps | cache ÷ uncached | nginx ÷ static |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, result in results.items():
        for name, page in result["pages"].items():
            cells = {k: page[k] for k in ("uncached", "app cache", "nginx", "static file")}

            def show(m):
                return f"{m['rps']} ({m['p50_ms']}/{m['p99_ms']})" + (f" {m['errors']} errors" if m["errors"] else "")

            lines.append(
                f"| {label} | {name} | {result['queries'][name]} | {show(cells['uncached'])} "
                f"| {100 * cells['uncached']['rps'] / max(result['floor']['rps'], 1):.1f}% "
                f"| {show(cells['app cache'])} | {show(cells['nginx'])} | {cells['static file']['rps']} "
                f"| {cells['app cache']['rps'] / max(cells['uncached']['rps'], 1):.1f}x "
                f"| {100 * cells['nginx']['rps'] / max(cells['static file']['rps'], 1):.0f}% |"
            )
    lines.append("")
    for label, result in results.items():
        post, load = result["comment_post"], result["under load"]
        failed = f", {post['failed']} failed" if post["failed"] else ""
        lines.append(
            f"- {label}: the floor (bench/floor.py: a minimal Django view, the same gunicorn, the busy post's bytes) "
            f"{result['floor']['rps']} rps (p50 {result['floor']['p50_ms']} ms)"
        )
        lines.append(
            f"- {label}: generator {result['generator_s']} s; peak memory per worker {result['worker_peak_mb']} MB; "
            f"posting a comment p50 {post['p50_ms']} ms, p99 {post['p99_ms']} ms ({COMMENT_POSTS} comments, "
            f"Akismet stand-in answering in 2 s{failed})"
        )
        for page, quiet in load["rps without posters"].items():
            busy = load["rps with posters"][page]
            lines.append(
                f"- {label}: {page}, uncached, {busy} rps with {POSTERS} posters through a hanging Akismet, "
                f"{quiet} rps without: {100 * busy / max(quiet, 1):.0f}%"
            )
        lines.append(
            f"- {label}: {load['comments sent']} comments sent while readers were measured, {load['stored']} stored, "
            f"{load['duplicates']} duplicates; all checked "
            + (
                f"{load['all checked, seconds after Akismet is back']} s after Akismet answered again"
                if load["all checked, seconds after Akismet is back"] is not None
                else "NOT within 300 s of Akismet answering again"
            )
        )
    for label, result in results.items():
        lines += [
            f"- {label}: {what} visible in the app's next response: {'yes' if seen['app next response'] else 'NO'}; "
            + (
                f"through nginx after {seen['nginx seconds']} s"
                if seen["nginx seconds"] is not None
                else "through nginx: NOT within 10 s"
            )
            for what, seen in (
                ("a published post", result["freshness"]["publish"]),
                ("an approved comment", result["freshness"]["approve"]),
            )
        ]
    for label, result in results.items():
        for name, seen in result["herd"].items():
            steady, after = seen["steady"], seen["after an approval"]
            lines.append(
                f"- {label}: front page, {name}: p99 {after['p99_ms']} ms (slowest {after['max_ms']}) in the "
                f"{HERD_SECONDS} s after an approval, {steady['p99_ms']} ms (slowest {steady['max_ms']}) steady: "
                f"{after['p99_ms'] / max(steady['p99_ms'], 0.01):.1f}x"
            )
        recycled, steady = result["recycling"], result["herd"]["app cache"]["steady"]
        lines.append(
            f"- {label}: front page, app cache, workers recycling ({recycled['restarts']} restarts in "
            f"{HERD_SECONDS} s): {recycled['rps']} rps, p99 {recycled['p99_ms']} ms (slowest {recycled['max_ms']}); "
            f"steady {steady['rps']} rps, p99 {steady['p99_ms']} ms (slowest {steady['max_ms']})"
        )
    small, large = (results[label] for label, *_ in SIZES[:2])
    for name in PAGES:
        ratio = large["pages"][name]["uncached"]["p50_ms"] / max(small["pages"][name]["uncached"]["p50_ms"], 0.01)
        lines.append(f"- {name}: uncached p50 at 10,000 posts is {ratio:.2f}x its p50 at 100 posts")
    return "\n".join(lines)


def main():
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: `make bench` installs it as root (apt-get install {tool}).")
    work = PROJECT / "bench" / "work"
    shutil.rmtree(work, ignore_errors=True)
    akismet = AkismetStandIn(AKISMET_PORT)
    akismet.delay = 0.2
    akismet.start()
    try:
        results = {
            label: measure(Size(label, *numbers, scale_out), work, akismet)
            for label, *numbers, scale_out in SIZES
            if not scale_out or postgres_and_redis_running()
        }
    finally:
        akismet.stop()
    text = table(results)
    out = PROJECT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"{stamp}.md").write_text(text + "\n")
    (out / f"{stamp}.json").write_text(json.dumps(results, indent=2))
    print(text)
    print(f"\nWritten to {out / stamp}.md and .json")


if __name__ == "__main__":
    main()
