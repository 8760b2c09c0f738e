"""The web client locally, at http://localhost:3000 (where emails' links
point): the built client (web/dist) with every unknown path answered by its
index.html, /config.json, and two pass-throughs that play what AWS gives the
browser directly — /api/* to the local API (API Gateway adds CORS in AWS;
the local function router does not) and /cognito to the emulated user pool.
Evidence uploads go straight to the emulated S3, whose bucket CORS allows this
origin, as in AWS.

In AWS the same files are served from S3 behind CloudFront, with a
config.json naming the API's and Cognito's own addresses.
"""

from __future__ import annotations

import http.cookiejar
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "web" / "dist"
#: Headers a proxy must not pass on.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host", "content-encoding"}


def serve(port: int, api: str, emulator: str, user_pool_client_id: str, stop: threading.Event) -> threading.Thread:
    settings = json.dumps({"apiBase": "/api", "sessionBase": "/api", "cognitoEndpoint": "/cognito",
                           "userPoolClientId": user_pool_client_id}).encode()
    session = requests.Session()
    # A pass-through keeps no cookies of its own: each browser's session cookie is its own.
    session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet: the API and emulator keep their own logs
            pass

        def do_GET(self) -> None:
            self.route()

        def do_POST(self) -> None:
            self.route()

        def do_PATCH(self) -> None:
            self.route()

        def do_DELETE(self) -> None:
            self.route()

        def route(self) -> None:
            path = self.path.split("?", 1)[0]
            if path.startswith("/api/"):
                self.forward(api + self.path[len("/api"):])
            elif path == "/cognito":
                self.forward(emulator + "/")
            elif path == "/config.json":
                self.send(200, "application/json", settings)
            elif self.command == "GET":
                self.static(path)
            else:
                self.send(405, "text/plain", b"Method not allowed")

        def static(self, path: str) -> None:
            file = (DIST / path.lstrip("/")).resolve()
            if not file.is_file() or DIST.resolve() not in file.parents:
                file = DIST / "index.html"  # the client's own routes
            if not file.is_file():
                self.send(503, "text/plain", b"The web client is not built: run bash infra/setup.sh")
                return
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            self.send(200, kind, file.read_bytes(), cache="no-cache")

        def forward(self, url: str) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            try:
                answer = session.request(self.command, url, data=body, headers=headers, timeout=120)
            except requests.RequestException:
                self.send(502, "application/problem+json",
                          b'{"type":"about:blank","title":"The service is not answering","status":502}')
                return
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def send(self, status: int, kind: str, body: bytes, cache: str = "no-store") -> None:
            self.send_response(status)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.send_header("cache-control", cache)
            self.send_header("x-content-type-options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True

    def run() -> None:
        server.serve_forever(poll_interval=0.5)

    def shutdown() -> None:
        stop.wait()
        server.shutdown()

    thread = threading.Thread(target=run, name="web", daemon=True)
    thread.start()
    threading.Thread(target=shutdown, name="web-stop", daemon=True).start()
    return thread
