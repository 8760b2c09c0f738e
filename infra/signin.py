"""Prints an access token for a local user: `python infra/signin.py EMAIL [PASSWORD]`.
Defaults to the demo password. Reads .local/stack.json written by the run command."""

import json
import sys
from pathlib import Path

import boto3

stack = json.loads((Path(__file__).resolve().parent.parent / ".local" / "stack.json").read_text())
email = sys.argv[1]
password = sys.argv[2] if len(sys.argv) > 2 else next(
    (u["password"] for u in stack["demoUsers"] if u["email"] == email), None)
cognito = boto3.client("cognito-idp", endpoint_url=stack["emulatorEndpoint"], region_name=stack["region"],
                       aws_access_key_id="test", aws_secret_access_key="test")
result = cognito.initiate_auth(ClientId=stack["userPoolClientId"], AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": email, "PASSWORD": password})
print(result["AuthenticationResult"]["AccessToken"])
