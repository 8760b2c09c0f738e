"""template.yaml is the one definition: the local router, the emulated
resources and the sample events must agree with it, and cfn-lint must pass."""

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "infra"))

import cfn  # noqa: E402

ROOT = cfn.ROOT
TEMPLATE = cfn.load_template()


def test_cfn_lint_passes():
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "cfn-lint"), str(ROOT / "template.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_local_router_is_the_template_routes():
    import local

    written = (ROOT / ".local" / "CargoLambda.toml").read_text()
    assert written == local.watch_router(TEMPLATE), "the running stack's router is not the template's: restart it"
    router = tomllib.loads(written)["watch"]["router"]
    served = sorted((entry["method"], path, entry["function"]) for path, entries in router.items()
                    for entry in entries)
    assert served == sorted((r.method, r.path, r.function) for r in cfn.routes(TEMPLATE))


def test_every_function_crate_is_deployed_and_has_a_sample_event():
    crates = set(cfn.function_crates())
    deployed = {cfn.binary(spec) for spec in cfn.functions(TEMPLATE).values()}
    for name in sorted(crates - deployed):
        raise AssertionError(f"functions/…/{name} is not in template.yaml: add its AWS::Serverless::Function block")
    for name in sorted(deployed - crates):
        raise AssertionError(f"template.yaml deploys {name}, but there is no functions/<resource>/{name} crate")
    for name in sorted(deployed):
        assert (ROOT / "events" / f"{name}.json").is_file(), f"add events/{name}.json, a sample event for {name}"


def test_each_step_names_the_route_the_template_deploys_it_for():
    """`serve_http!(METHOD "/path" => step)` is the step's own word on its route; its
    `cargo test` holds the sample event to it, and this holds template.yaml to it."""
    said = re.compile(r'serve_http!\((?:public )?([A-Z]+) "([^"]+)" =>')
    for route in cfn.routes(TEMPLATE):
        main = cfn.main_of(route.function)
        found = said.findall(main.read_text())
        assert found == [(route.method, route.path)], \
            f"{main.relative_to(ROOT)} says it serves {found}, template.yaml deploys it for {route.method} {route.path}"


def test_the_route_index_is_the_one_the_crates_and_template_make():
    import route_index

    assert (ROOT / "docs" / "ROUTES.md").read_text() == route_index.render(TEMPLATE), \
        "docs/ROUTES.md is out of date: run `python3 infra/route_index.py` and commit it"


def test_every_sample_event_is_its_function_route_and_is_fed_to_it():
    """The Rust side (`shared::serve_http!` in each function) feeds the sample
    through the function's own reading; this side checks the route it names."""
    import re

    for route in cfn.routes(TEMPLATE):
        name = f"events/{route.function}.json"
        event = json.loads((ROOT / name).read_text())
        assert event.get("routeKey") == f"{route.method} {route.path}", f"{name} is not for {route.method} {route.path}"
        assert event["requestContext"]["http"]["method"] == route.method, f"{name} has the wrong method"
        wanted = set(re.findall(r"\{(\w+)\}", route.path))
        assert set(event.get("pathParameters") or {}) == wanted, f"{name} should have path parameters {sorted(wanted)}"
    for spec in cfn.functions(TEMPLATE).values():
        main = cfn.main_of(cfn.binary(spec))
        assert any(f"shared::serve_{kind}!" in main.read_text()
                   for kind in ("http", "schedule", "queue", "cognito_trigger")), \
            f"{main.relative_to(ROOT)} has no `shared::serve_http!`, `serve_schedule!`, `serve_queue!` or " \
            "`serve_cognito_trigger!` (its main, fed its sample event in a test)"


def test_every_route_is_in_the_api_notes():
    notes = (ROOT / "docs" / "API.md").read_text()
    for route in cfn.routes(TEMPLATE):
        assert f"{route.method} {route.path}" in notes, f"docs/API.md does not describe {route.method} {route.path}"


def test_only_the_emailed_link_steps_registration_and_the_session_routes_are_public():
    public = {(r.method, r.path) for r in cfn.routes(TEMPLATE) if r.public}
    assert public == {("POST", "/registrations"), ("POST", "/registrations/complete"),
                      ("POST", "/invitations/accept"),
                      ("POST", "/session"), ("POST", "/session/refresh"), ("DELETE", "/session")}


def shared_policies(spec: dict) -> set[str]:
    return {p["Ref"] for p in spec["Properties"].get("Policies", []) if isinstance(p, dict) and "Ref" in p}


def test_every_function_that_writes_audit_cannot_change_it():
    for name, spec in cfn.functions(TEMPLATE).items():
        text = json.dumps(spec["Properties"].get("Policies", []))
        if '"AUDIT#*"' in text and ("PutItem" in text):
            assert "AuditIsAppendOnlyPolicy" in shared_policies(spec), \
                f"{name} writes audit entries: add `- !Ref AuditIsAppendOnlyPolicy` to its Policies"


def test_every_signed_in_route_may_read_its_caller_and_no_event_function_may():
    public = {r.function for r in cfn.routes(TEMPLATE) if r.public}
    for name, spec in cfn.functions(TEMPLATE).items():
        http = any(e["Type"] == "HttpApi" for e in spec["Properties"]["Events"].values())
        if http and cfn.binary(spec) not in public:
            assert "ReadCallerPolicy" in shared_policies(spec), \
                f"{name} serves a signed-in route: add `- !Ref ReadCallerPolicy` to its Policies"
        elif not http:
            assert "ReadCallerPolicy" not in shared_policies(spec), f"{name} has no signed-in caller to read"


def test_every_function_has_its_own_policy():
    managed = cfn.resources(TEMPLATE, "AWS::IAM::ManagedPolicy")
    for name, spec in cfn.functions(TEMPLATE).items():
        policies = spec["Properties"].get("Policies")
        # Signing in and refreshing call only the user pool's public sign-in API: no permission at all.
        assert policies or name in {"SignInFunction", "RefreshSessionFunction"}, f"{name} has no least-privilege policy"
        policies = policies or []
        for ref in shared_policies(spec):
            assert ref in managed, f"{name} names {ref}, which is not an AWS::IAM::ManagedPolicy in the template"
        text = json.dumps(policies) + json.dumps(managed)
        assert '"Resource": "*"' not in text, f"{name} has a wildcard resource"


def test_emulated_table_matches_the_template(stack):
    table = stack.client("dynamodb").describe_table(TableName=stack["tableName"])["Table"]
    props = TEMPLATE["Resources"]["Table"]["Properties"]
    assert table["KeySchema"] == props["KeySchema"]
    assert sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == \
        sorted(props["AttributeDefinitions"], key=lambda a: a["AttributeName"])
    local = {i["IndexName"]: (i["KeySchema"], i["Projection"]["ProjectionType"])
             for i in table["GlobalSecondaryIndexes"]}
    deployed = {i["IndexName"]: (i["KeySchema"], i["Projection"]["ProjectionType"])
                for i in props["GlobalSecondaryIndexes"]}
    assert local == deployed
    ttl = stack.client("dynamodb").describe_time_to_live(TableName=stack["tableName"])["TimeToLiveDescription"]
    assert ttl["AttributeName"] == props["TimeToLiveSpecification"]["AttributeName"]


def test_emulated_queues_match_the_template(stack):
    sqs = stack.client("sqs")
    queues = cfn.resources(TEMPLATE, "AWS::SQS::Queue")
    assert set(stack["queues"]) == set(queues)
    for name, spec in queues.items():
        attributes = sqs.get_queue_attributes(QueueUrl=stack["queues"][name], AttributeNames=["All"])["Attributes"]
        props = spec["Properties"]
        for key in ("VisibilityTimeout", "MessageRetentionPeriod"):
            if key in props:
                assert int(attributes[key]) == props[key], f"{name}.{key}"
        if "RedrivePolicy" in props:
            redrive = json.loads(attributes["RedrivePolicy"])
            target = props["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0]
            assert int(redrive["maxReceiveCount"]) == props["RedrivePolicy"]["maxReceiveCount"]
            assert redrive["deadLetterTargetArn"].endswith(f"-{target}")


def test_emulated_bucket_notifies_the_upload_queue(stack):
    config = stack.client("s3").get_bucket_notification_configuration(Bucket=stack["bucketName"])
    [queue] = config["QueueConfigurations"]
    expected = TEMPLATE["Resources"]["EvidenceBucket"]["Properties"]["NotificationConfiguration"]["QueueConfigurations"][0]
    assert queue["QueueArn"].endswith(f"-{expected['Queue']['Fn::GetAtt'][0]}")
    assert queue["Events"] == [expected["Event"]]
    rules = queue["Filter"]["Key"]["FilterRules"]
    assert [(r["Name"].lower(), r["Value"]) for r in rules] == \
        [(r["Name"], r["Value"]) for r in expected["Filter"]["S3Key"]["Rules"]]


def test_emulated_user_pool_matches_the_template(stack):
    cognito = stack.client("cognito-idp")
    pool = cognito.describe_user_pool(UserPoolId=stack["userPoolId"])["UserPool"]
    props = TEMPLATE["Resources"]["UserPool"]["Properties"]
    assert pool["Policies"]["PasswordPolicy"] == props["Policies"]["PasswordPolicy"]
    assert pool["UsernameAttributes"] == props["UsernameAttributes"]
    client = cognito.describe_user_pool_client(UserPoolId=stack["userPoolId"],
                                               ClientId=stack["userPoolClientId"])["UserPoolClient"]
    assert sorted(client["ExplicitAuthFlows"]) == \
        sorted(TEMPLATE["Resources"]["UserPoolClient"]["Properties"]["ExplicitAuthFlows"])


def test_the_password_rules_in_code_match_the_pool():
    policy = TEMPLATE["Resources"]["UserPool"]["Properties"]["Policies"]["PasswordPolicy"]
    source = (ROOT / "shared" / "src" / "domain" / "password.rs").read_text()
    assert f"pub const MIN_LENGTH: usize = {policy['MinimumLength']};" in source
    assert all(policy[k] for k in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"))


def test_a_step_verifies_the_token_first_exactly_when_its_route_is_not_public():
    """`serve_http!(public step; …)` and `Auth: {Authorizer: NONE}` say the same thing, or a
    signed-in route would read its request before knowing who sent it."""
    public = {r.function for r in cfn.routes(TEMPLATE) if r.public}
    for spec in cfn.functions(TEMPLATE).values():
        main = cfn.main_of(cfn.binary(spec)).read_text()
        if "serve_http!(" not in main:
            continue
        says_public = "serve_http!(public " in main
        assert says_public == (cfn.binary(spec) in public), \
            f"{cfn.binary(spec)}: serve_http! says public={says_public}, template.yaml says {cfn.binary(spec) in public}"


def test_the_audit_trail_s_filter_lists_every_action_the_service_writes():
    rust = (ROOT / "shared" / "src" / "domain" / "audit_action.rs").read_text()
    written = set(re.findall(r'^        [A-Za-z]+ = "([a-z.-]+)",$', rust, flags=re.M))
    screen = (ROOT / "web" / "src" / "screens" / "audit.ts").read_text()
    listed = set(re.findall(r'^  "([a-z.-]+)": "', screen, flags=re.M))
    assert written and listed == written, (sorted(written - listed), sorted(listed - written))
