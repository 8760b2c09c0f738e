"""Prints an access token for a local user: `python infra/signin.py EMAIL [PASSWORD]`.
Defaults to the demo password; answers the authenticator-app challenge of the
demo users who have one with their key. Reads .local/stack.json written by the run command."""

import json
import sys
from pathlib import Path

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent))
import authenticator  # noqa: E402

stack = json.loads((Path(__file__).resolve().parent.parent / ".local" / "stack.json").read_text())
email = sys.argv[1]
demo = next((u for u in stack["demoUsers"] if u["email"] == email), {})
password = sys.argv[2] if len(sys.argv) > 2 else demo.get("password")
cognito = boto3.client("cognito-idp", endpoint_url=stack["emulatorEndpoint"], region_name=stack["region"],
                       aws_access_key_id="test", aws_secret_access_key="test")
print(authenticator.sign_in(cognito, stack["userPoolClientId"], email, password, demo.get("authenticatorKey")))
