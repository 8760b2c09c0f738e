"""The AWS emulator (moto server) on loopback, with one correction.

moto applies a DynamoDB transaction's writes one at a time and undoes a failed
one by restoring a snapshot of the whole table, so two transactions racing on
its request threads can interleave or undo each other. DynamoDB serialises
them. This launcher runs DynamoDB requests one at a time (everything else stays
concurrent, so SQS long polls do not block), giving the concurrency tests the
guarantees the code relies on in AWS; the functions themselves still race.

It also serves the emails SES accepted at `GET /_local/outbox[?to=ADDRESS]`
(JSON, newest last): moto's own `/moto-api/data.json` dumps every object the
emulator ever made and grows to hundreds of megabytes in a test run.

    python infra/emulator.py [PORT]
"""

from __future__ import annotations

import json
import signal
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.ses.models import ses_backends
from werkzeug.serving import run_simple
from werkzeug.wrappers import Request, Response

_dynamodb = threading.Lock()


def serialise_dynamodb(app):
    def middleware(environ, start_response):
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            with _dynamodb:
                return [b"".join(app(environ, start_response))]
        return app(environ, start_response)

    return middleware


def outbox(app):
    def middleware(environ, start_response):
        if environ.get("PATH_INFO") != "/_local/outbox":
            return app(environ, start_response)
        wanted = Request(environ).args.get("to")
        sent = []
        for account in ses_backends.values():
            for backend in account.values():
                for message in list(backend.sent_messages):
                    recipients = [a for field in ("ToAddresses", "CcAddresses", "BccAddresses")
                                  for a in (getattr(message, "destinations", None) or {}).get(field, [])]
                    if wanted and wanted not in recipients:
                        continue
                    sent.append({
                        "id": message.id,
                        "source": getattr(message, "source", None),
                        "subject": getattr(message, "subject", None),
                        "body": getattr(message, "body", None),
                        "destinations": getattr(message, "destinations", None),
                    })
        return Response(json.dumps(sent), mimetype="application/json")(environ, start_response)

    return middleware


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 4566
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    app = DomainDispatcherApplication(create_backend_app)
    run_simple("127.0.0.1", port, outbox(serialise_dynamodb(app)), threaded=True, use_reloader=False)


if __name__ == "__main__":
    main()
