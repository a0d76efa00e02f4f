"""`make bench-import`: how long bringing a big WordPress blog in takes, and how much memory.

It writes a WordPress export (WXR 1.2) of 10,000 posts and 100,000 comments (a third of them
replies), 500 tags and categories, 300 pictures referenced from posts with a matching
wp-content/uploads folder of real PNG files, and a link from each post to the one before;
then imports it into a fresh site of its own (bench/data/import/), timing the import and
reading its peak memory; then imports it again, which must find every post unchanged.
Targets (issue 13): at most 10 minutes and 400 MB for the first run on a 2-core machine,
and the second faster than the first.

    python bench/import_export.py [--posts 10000] [--comments-per-post 10]

A benchmark, not a test: figures vary with the machine.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

PROJECT = Path(__file__).resolve().parent.parent
FOLDER = PROJECT / "bench" / "data" / "import"
PICTURES = 300
TAGS = 500
HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench blog</title><link>https://bench.example.com</link><description>A big old blog</description>
<language>en-US</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example.com</wp:base_site_url>
<wp:base_blog_url>https://bench.example.com</wp:base_blog_url>
"""
PARAGRAPH = (
    "Caching is the art of remembering what you computed, and of forgetting it at the right moment. "
    "Here is how this blog does it, with <em>Django</em>, <strong>SQLite</strong> and a little "
    '<a href="https://example.com/docs">documentation</a>.'
)


def png(colour):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixels = zlib.compress(b"\x00" + bytes([colour % 256, colour // 256 % 256, 128]))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def comment(post, number, parent, day):
    stamp = f"{day:%Y-%m-%d} 1{number % 10}:{number % 60:02d}:00"
    return f"""<wp:comment><wp:comment_id>{post * 100 + number}</wp:comment_id>
<wp:comment_author><![CDATA[Reader {number}]]></wp:comment_author>
<wp:comment_author_email>reader{number}@example.com</wp:comment_author_email>
<wp:comment_author_url>https://reader{number}.example.org/</wp:comment_author_url>
<wp:comment_author_IP>198.51.100.{number % 250}</wp:comment_author_IP>
<wp:comment_date>{stamp}</wp:comment_date><wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Thanks for post {post}: comment {number} says <em>well done</em>.]]></wp:comment_content>
<wp:comment_approved>1</wp:comment_approved><wp:comment_type>comment</wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>
"""


def item(post, comments_per_post):
    day = datetime.date(2004, 1, 1) + datetime.timedelta(days=post * 7000 // 10_000)
    picture = ""
    if post % (10_000 // PICTURES) == 0:
        n = post // (10_000 // PICTURES) % PICTURES
        picture = f'<img src="https://bench.example.com/wp-content/uploads/2010/05/picture-{n}.png" alt="Picture {n}">'
    previous = f'<a href="https://bench.example.com/?p={post - 1}">the post before</a>' if post > 1 else ""
    code = f'[code lang="python"]def post_{post}():\n    return {post}[/code]'
    body = "\n\n".join([PARAGRAPH] * 4 + [picture, f"As I wrote in {previous}.", code])
    tags = "".join(
        f'<category domain="post_tag" nicename="tag-{t}"><![CDATA[Tag {t}]]></category>'
        for t in {post % TAGS, post * 7 % TAGS, post * 13 % TAGS}
    )
    comments = "".join(
        comment(post, n, post * 100 + n - 1 if n % 3 == 2 else 0, day) for n in range(1, comments_per_post + 1)
    )
    return f"""<item><title>Bench post {post}: caching, again</title>
<link>https://bench.example.com/{day:%Y/%m/%d}/bench-post-{post}/</link>
<pubDate>{day:%a, %d %b %Y} 09:00:00 +0000</pubDate><dc:creator><![CDATA[admin]]></dc:creator>
<guid isPermaLink="false">https://bench.example.com/?p={post}</guid><description></description>
<content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{post}</wp:post_id><wp:post_date>{day} 09:00:00</wp:post_date>
<wp:post_date_gmt>{day} 14:00:00</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>
<wp:ping_status>open</wp:ping_status><wp:post_name>bench-post-{post}</wp:post_name>
<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:menu_order>0</wp:menu_order>
<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky>
<category domain="category" nicename="notes"><![CDATA[{escape("Notes & essays")}]]></category>{tags}
{comments}</item>
"""


def write_export(path, posts, comments_per_post):
    with path.open("w", encoding="utf-8") as export:
        export.write(HEAD)
        for post in range(1, posts + 1):
            export.write(item(post, comments_per_post))
        export.write("</channel>\n</rss>\n")


def write_uploads(folder):
    month = folder / "2010" / "05"
    month.mkdir(parents=True, exist_ok=True)
    for n in range(PICTURES):
        (month / f"picture-{n}.png").write_bytes(png(n))


def manage(env, *args):
    """Run a management command: its wall time in seconds, its peak resident memory in MB, its output."""
    started = time.monotonic()
    output, errors = FOLDER / "output.txt", FOLDER / "errors.txt"  # files, not pipes, which a long report would fill
    with output.open("w") as out, errors.open("w") as err:
        process = subprocess.Popen([sys.executable, PROJECT / "manage.py", *args], env=env, stdout=out, stderr=err)
        peak = 0
        while process.poll() is None:  # VmHWM only grows: its last reading is the peak
            try:
                status = Path(f"/proc/{process.pid}/status").read_text()
                peak = int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) // 1024
            except (OSError, TypeError):  # it ended meanwhile
                pass
            time.sleep(0.2)
    if process.returncode:
        sys.exit(f"manage.py {' '.join(map(str, args))} failed:\n{errors.read_text()[-3000:]}")
    return round(time.monotonic() - started, 1), peak, output.read_text()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=10)
    options = parser.parse_args()
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    export, uploads = FOLDER / "export.xml", FOLDER / "uploads"
    write_export(export, options.posts, options.comments_per_post)
    write_uploads(uploads)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "ESCRIBE_DATA_DIR": str(FOLDER / "site"),
        "DJANGO_SETTINGS_MODULE": "site.settings.dev",
    }
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    first_s, first_mb, output = manage(env, "import_wordpress", export, "--uploads", uploads)
    again_s, again_mb, again = manage(env, "import_wordpress", export, "--uploads", uploads)
    results = {
        "posts": options.posts,
        "comments": options.posts * options.comments_per_post,
        "export MB": round(export.stat().st_size / 2**20, 1),
        "first import s": first_s,
        "peak memory MB": first_mb,
        "second import s": again_s,
        "report": output.splitlines()[:3],
        "second report": again.splitlines()[:3],
    }
    print(json.dumps(results, indent=2))
    print(
        f"\n{options.posts:,} posts, {results['comments']:,} comments ({results['export MB']} MB export): "
        f"first import {first_s} s (target ≤ 600 s), peak memory {first_mb} MB (target < 400 MB); "
        f"import again {again_s} s (target: faster than the first)"
    )


if __name__ == "__main__":
    main()
