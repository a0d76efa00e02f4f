"""A stand-in for Akismet's REST API on 127.0.0.1, speaking its wire protocol.

Form-encoded POSTs to /1.1/comment-check, /1.1/submit-spam, /1.1/submit-ham and
/1.1/verify-key, answered as Akismet answers them ("true"/"false", "valid"/
"invalid", the X-akismet-pro-tip: discard header). It records what it received
and can be made slow, hanging, failing (500) or refusing the key. Run it alone for
benchmarks: ``python tests/akismet_standin.py --port 8765 --delay 0.2``.
"""

import argparse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

THANKS = "Thanks for making the web a better place."


class AkismetStandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port=0):
        super().__init__(("127.0.0.1", port), Handler)
        self.requests = []  # (endpoint, {field: value}) in arrival order
        self.verdict = "ham"  # "ham", "spam" or "discard"
        self.key_valid = True
        self.fail = False  # answer 500
        self.garbage = False  # answer 200 with a body Akismet never sends
        self.delay = 0.0  # seconds before answering
        self.answering = threading.Event()  # clear it and Akismet hangs, until it is set again
        self.answering.set()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def received(self, endpoint):
        return [fields for name, fields in self.requests if name == endpoint]

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.answering.set()  # no request is left hanging
        self.shutdown()
        self.server_close()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length", 0))
        fields = dict(parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True))
        endpoint = self.path.removeprefix("/1.1/")
        server.requests.append((endpoint, fields))
        server.answering.wait()
        time.sleep(server.delay)
        if server.fail:
            return self.answer("Internal Server Error", status=500)
        if server.garbage:
            return self.answer("maybe")
        if endpoint == "verify-key":
            return self.answer("valid" if server.key_valid else "invalid")
        if not server.key_valid:
            return self.answer("invalid", headers={"X-akismet-debug-help": "We were unable to parse your blog URI"})
        if endpoint == "comment-check":
            verdict = "spam" if fields.get("comment_author") == "viagra-test-123" else server.verdict
            headers = {"X-akismet-pro-tip": "discard"} if verdict == "discard" else {}
            return self.answer("false" if verdict == "ham" else "true", headers=headers)
        if endpoint in ("submit-spam", "submit-ham"):
            return self.answer(THANKS)
        return self.answer("Not found", status=404)

    def answer(self, body, status=200, headers=None):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--delay", type=float, default=0.0)
    options = parser.parse_args()
    server = AkismetStandIn(options.port)
    server.delay = options.delay
    print(f"Akismet stand-in on {server.url} (delay {server.delay}s)", flush=True)
    server.serve_forever()
