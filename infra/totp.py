"""Prints the code a demo user's authenticator app would show now:
`python infra/totp.py EMAIL` (the web client asks for it after the password of
the demo users who approve, pay or administer). Reads .local/stack.json."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import authenticator  # noqa: E402

stack = json.loads((Path(__file__).resolve().parent.parent / ".local" / "stack.json").read_text())
demo = next((u for u in stack["demoUsers"] if u["email"] == sys.argv[1]), None)
if demo is None or not demo.get("authenticatorKey"):
    sys.exit(f"{sys.argv[1]} is not a demo user who signs in with an authenticator app")
print(authenticator.code_now(demo["authenticatorKey"]))
