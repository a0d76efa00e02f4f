"""`make bench`: how fast E-Scribe serves its pages, at 100 posts and at 10,000.

For each size it builds a data set in its own folder (bench/data/<size>/), starts
gunicorn with production settings twice (page cache off, then on) and nginx in
front of the second, and measures with wrk (best of two rounds): each page
uncached, from the app's cache, through nginx, and nginx serving a static file of
the same bytes. It also counts each page's SQL queries, reads each worker's peak
memory, times posting a comment (Akismet's stand-in answering in 200 ms) and the
data generator, and checks how soon readers see a new post and an approved
comment. The table is printed and written to bench/results/ as Markdown and JSON.

A benchmark, not a test: figures vary with the machine; compare within one run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
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
    reachable,
    seconds_until,
    start_gunicorn,
    start_nginx,
    stop_server,
)

PYTHON = sys.executable
SIZES = [  # (label, posts, comments, tags)
    ("100 posts", 100, 1_000, 50),
    ("10,000 posts", 10_000, 100_000, 500),
]
PAGES = {  # what a reader asks for, by name
    "front page": "/",
    "post, 50 comments": "/bench-busy/",
    "tag page": "/tag/bench-tag-001/",
    "year archive": "/2016/",
    "RSS feed": "/feed/",
    "search": "/search/?q=allspaw",  # a word in one post: ranked, best match first
    "search, common word": "/search/?q=django",  # a word in every post: newest first (search/views.py)
}
WRK = ["wrk", "-t2", "-c16", "-d5s", "--latency"]
APP_PORT, CACHED_APP_PORT, NGINX_PORT, AKISMET_PORT = 18301, 18302, 18303, 18304
COMMENT_POSTS = 5


def run(command, env=None, **options):
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, **options).stdout


def ensure_free(port):
    """Refuse to measure a server left over from another run that still holds our port."""
    if reachable(port):
        sys.exit(f"Port {port} is in use: stop whatever listens there and run make bench again.")


def wrk(url):
    """Requests per second, p50 and p99 latency in ms."""
    output = run([*WRK, url])

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\b", output, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 2)

    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))),
        "p50_ms": latency(50),
        "p99_ms": latency(99),
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def best_of_two(urls):
    """Each named URL measured twice, the rounds interleaved, keeping its faster run: wrk, the servers
    and whatever else the machine does share two cores, and one run alone can lose a third."""
    rounds = [{name: wrk(url) for name, url in urls.items()} for _ in range(2)]
    return {name: max((r[name] for r in rounds), key=lambda m: m["rps"]) for name in urls}


class Size:
    def __init__(self, label, posts, comments, tags):
        self.label, self.posts, self.comments, self.tags = label, posts, comments, tags
        self.folder = PROJECT / "bench" / "data" / f"{posts}-posts"
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

    def manage(self, *args, **env):
        return run([PYTHON, PROJECT / "manage.py", *args], env={**self.env, **env})

    def build(self):
        """The data set, made once and reused by later runs (the generator is idempotent)."""
        self.folder.mkdir(parents=True, exist_ok=True)
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

    def nginx(self, prefix):
        ensure_free(NGINX_PORT)
        return start_nginx(prefix, CACHED_APP_PORT, NGINX_PORT, self.folder)

    def post_comments(self, port):
        """Seconds per comment POST, median of a few, with Akismet answering in 200 ms."""
        base = f"http://127.0.0.1:{port}"
        code = "from blog.models import BlogPage; print(BlogPage.objects.get(slug='bench-busy').pk)"
        post_id = self.manage("shell", "-c", code).split()[-1]
        timings = []
        for n in range(COMMENT_POSTS):
            token = json.load(urllib.request.urlopen(f"{base}/comments/token/{post_id}/"))["token"]
            time.sleep(3.1)  # the form turns away posts sooner than a person could write
            data = urllib.parse.urlencode(
                {
                    "name": f"Bench {n}",
                    "email": "b@example.com",
                    "text": "Timing comment.",
                    "issued": token,
                    "website": "",
                }
            ).encode()
            started = time.monotonic()
            request = urllib.request.Request(f"{base}/comments/post/{post_id}/", data=data)
            opener = urllib.request.build_opener(NoRedirect)
            response = opener.open(request)
            timings.append(time.monotonic() - started)
            assert response.status == 302, response.status
        return round(sorted(timings)[len(timings) // 2] * 1000)

    def freshness(self):
        """After a publish, and after a comment's approval: does the app's very next response show
        it, and how many seconds until nginx's does? Each run adds one post, never named bench-…"""
        app, nginx = f"http://127.0.0.1:{CACHED_APP_PORT}", f"http://127.0.0.1:{NGINX_PORT}"
        slug = f"fresh-{datetime.now():%Y%m%d-%H%M%S}"
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


def measure(size, work):
    size.build()
    result = {"generator_s": size.generator_seconds, "queries": size.queries(), "pages": {}}
    servers = []
    try:
        servers.append(plain := size.gunicorn(APP_PORT, page_cache=False))
        servers.append(cached := size.gunicorn(CACHED_APP_PORT, page_cache=True))
        servers.append(size.nginx(work / "nginx"))
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
        result["comment_post_ms"] = size.post_comments(CACHED_APP_PORT)
        result["freshness"] = size.freshness()
    finally:
        for process in reversed(servers):
            stop_server(process)
    return result


def table(results):
    lines = [
        "| size | page | queries | uncached rps (p50/p99 ms) | app cache rps (p50/p99) | nginx rps (p50/p99) "
        "| static file rps | cache ÷ uncached | nginx ÷ static |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, result in results.items():
        for name, page in result["pages"].items():
            cells = {k: page[k] for k in ("uncached", "app cache", "nginx", "static file")}

            def show(m):
                return f"{m['rps']} ({m['p50_ms']}/{m['p99_ms']})" + (f" {m['errors']} errors" if m["errors"] else "")

            lines.append(
                f"| {label} | {name} | {result['queries'][name]} | {show(cells['uncached'])} "
                f"| {show(cells['app cache'])} | {show(cells['nginx'])} | {cells['static file']['rps']} "
                f"| {cells['app cache']['rps'] / max(cells['uncached']['rps'], 1):.1f}x "
                f"| {100 * cells['nginx']['rps'] / max(cells['static file']['rps'], 1):.0f}% |"
            )
    lines.append("")
    for label, result in results.items():
        lines.append(
            f"- {label}: generator {result['generator_s']} s; peak memory per worker {result['worker_peak_mb']} MB; "
            f"posting a comment {result['comment_post_ms']} ms (median of {COMMENT_POSTS}, Akismet stand-in at 200 ms)"
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
    small, large = (results[label] for label, *_ in SIZES)
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
        results = {label: measure(Size(label, *numbers), work) for label, *numbers in SIZES}
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
