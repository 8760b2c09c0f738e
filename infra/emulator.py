"""The AWS emulator (moto server) on loopback, with one correction.

moto applies a DynamoDB transaction's writes one at a time and undoes a failed
one by restoring a snapshot of the whole table, so two transactions racing on
its request threads can interleave or undo each other. DynamoDB serialises
them. This launcher runs DynamoDB requests one at a time (everything else stays
concurrent, so SQS long polls do not block), giving the concurrency tests the
guarantees the code relies on in AWS; the functions themselves still race.

    python infra/emulator.py [PORT]
"""

from __future__ import annotations

import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import run_simple

_dynamodb = threading.Lock()


def serialise_dynamodb(app):
    def middleware(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with _dynamodb:
                return [b"".join(app(environ, start_response))]
        return app(environ, start_response)

    return middleware


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 4566
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, serialise_dynamodb(app), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
