"""Presigned S3 requests checked at the door, as S3 checks them (moto checks
none: an expired URL, another key, a larger body or another content type all
answer 200 there). A request carrying `X-Amz-Signature` is refused with S3's
own 403 unless its SigV4 query signature is right for the method, path, query
and every signed header *as sent* (so a body of another length, another
content type or another key breaks it), it has not expired, and it was signed
with a key the emulator knows. CORS preflights are answered as before.

A signed GET that S3 would answer also gets the response headers it asks for
(`response-content-disposition` and the rest), as S3 gives them and moto
does not: the evidence download's `attachment; filename=…` is what makes a
browser save the file rather than show it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, quote, unquote

from werkzeug.wrappers import Response

#: The emulator's credentials: the functions' (and tests') access key and secret.
SECRETS = {"test": "test"}
#: The longest a presigned URL may live, as in S3.
LONGEST = 7 * 24 * 3600
#: The response headers a signed GET may set by its query, as S3 allows.
OVERRIDES = {"response-content-type": "Content-Type", "response-content-language": "Content-Language",
             "response-expires": "Expires", "response-cache-control": "Cache-Control",
             "response-content-disposition": "Content-Disposition",
             "response-content-encoding": "Content-Encoding"}


def _uri_encode(text: str) -> str:
    return quote(text, safe="-_.~")


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _header(environ: dict, name: str) -> str | None:
    if name == "content-type":
        value = environ.get("CONTENT_TYPE")
    elif name == "content-length":
        value = environ.get("CONTENT_LENGTH")
    else:
        value = environ.get("HTTP_" + name.upper().replace("-", "_"))
    return None if value is None else " ".join(value.strip().split())


def refusal(environ: dict, now: dt.datetime | None = None) -> tuple[str, str] | None:
    """Why S3 would refuse this presigned request ((code, message)), or None."""
    raw_uri = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    path, _, raw_query = raw_uri.partition("?")
    pairs = [(unquote(k), unquote(v)) for k, _, v in (p.partition("=") for p in raw_query.split("&") if p)]
    params = dict(pairs)
    if params.get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256":
        return "AuthorizationQueryParametersError", "X-Amz-Algorithm only supports AWS4-HMAC-SHA256"
    try:
        access_key, date, region, service, terminal = params["X-Amz-Credential"].split("/")
        signed_at = dt.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.timezone.utc)
        expires = int(params["X-Amz-Expires"])
        signed_headers = params["X-Amz-SignedHeaders"].split(";")
        signature = params["X-Amz-Signature"]
    except (KeyError, ValueError):
        return "AuthorizationQueryParametersError", "The presigned URL is missing or malforms a part"
    if terminal != "aws4_request" or not 0 < expires <= LONGEST:
        return "AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds"
    secret = SECRETS.get(access_key)
    if secret is None:
        return "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records."
    now = now or dt.datetime.now(dt.timezone.utc)
    if now > signed_at + dt.timedelta(seconds=expires):
        return "AccessDenied", "Request has expired"
    headers = []
    for name in signed_headers:
        value = _header(environ, name)
        if value is None:
            return "SignatureDoesNotMatch", f"The signed header {name} was not sent"
        headers.append(f"{name}:{value}\n")
    query = "&".join(f"{_uri_encode(k)}={_uri_encode(v)}"
                     for k, v in sorted(pairs) if k != "X-Amz-Signature")
    canonical = "\n".join([environ.get("REQUEST_METHOD", "GET"), path or "/", query, "".join(headers),
                           ";".join(signed_headers), "UNSIGNED-PAYLOAD"])
    scope = f"{date}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", params["X-Amz-Date"], scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    expected = hmac.new(_signing_key(secret, date, region, service), to_sign.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "SignatureDoesNotMatch", ("The request signature we calculated does not match the signature you "
                                         "provided. Check your key and signing method.")
    return None


def _overriding(environ: dict, start_response):
    """`start_response` giving a successful GET the headers its query asks for."""
    asked = {OVERRIDES[name]: value for name, value in parse_qsl(environ.get("QUERY_STRING", ""))
             if name in OVERRIDES}
    if environ.get("REQUEST_METHOD") != "GET" or not asked:
        return start_response

    def respond(status: str, headers: list, *rest):
        if status.startswith("2"):
            headers = [(n, v) for n, v in headers if n not in asked and n.title() not in asked] + list(asked.items())
        return start_response(status, headers, *rest)

    return respond


def checked(app):
    """WSGI middleware: refuses a presigned S3 request S3 would refuse."""

    def middleware(environ, start_response):
        if "X-Amz-Signature=" not in environ.get("QUERY_STRING", "") or environ.get("REQUEST_METHOD") == "OPTIONS":
            return app(environ, start_response)
        refused = refusal(environ)
        if refused is None:
            return app(environ, _overriding(environ, start_response))
        code, message = refused
        body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                f"<Message>{message}</Message></Error>")
        headers = {}
        origin = environ.get("HTTP_ORIGIN")
        if origin:  # as S3 does when the bucket's CORS allows the origin, so the browser can read why
            headers["Access-Control-Allow-Origin"] = origin
        return Response(body, status=403, mimetype="application/xml", headers=headers)(environ, start_response)

    return middleware
