"""Writes docs/ROUTES.md, the index of every function by the resource it serves:
its folder, what starts it (routes, queues, schedules, Cognito triggers) and
what it does, all read from the crates and template.yaml. A test in
tests/test_contract.py fails when the committed index is not what this writes,
so the index is never edited by hand: run `python3 infra/route_index.py`."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cfn  # noqa: E402

INDEX = cfn.ROOT / "docs" / "ROUTES.md"


def _starts(event: dict) -> str:
    """What one of a function's events is, as the index says it."""
    props = event["Properties"]
    kind = event["Type"]
    if kind == "HttpApi":
        public = " (public)" if props.get("Auth", {}).get("Authorizer") == "NONE" else ""
        return f"`{props['Method'].upper()} {props['Path']}`{public}"
    if kind == "SQS":
        return f"queue `{props['Queue']['Fn::GetAtt'][0] if isinstance(props['Queue'], dict) else props['Queue']}`"
    if kind == "ScheduleV2":
        return f"schedule `{props['ScheduleExpression']}`"
    if kind == "Cognito":
        return f"Cognito `{props['Trigger']}`"
    return kind


def render(template: dict | None = None) -> str:
    template = template or cfn.load_template()
    specs = {cfn.binary(spec): spec for spec in cfn.functions(template).values()}
    crates = cfn.function_crates()
    lines = [
        "# Routes and functions, by resource",
        "",
        "Written by `python3 infra/route_index.py` from `functions/` and `template.yaml`; do not edit by hand.",
        "Each function is `functions/<resource>/<function>/src/main.rs`; its sample event is `events/<function>.json`.",
        "",
    ]
    by_resource: dict[str, list[str]] = {}
    for name, folder in crates.items():
        by_resource.setdefault(folder.parent.name, []).append(name)
    for resource in sorted(by_resource):
        lines += [f"## {resource}", "", "| Function | Started by | What it does |", "| --- | --- | --- |"]
        for name in sorted(by_resource[resource]):
            spec = specs.get(name, {"Properties": {}})
            events = spec["Properties"].get("Events", {}).values()
            started = "<br>".join(sorted(_starts(event) for event in events)) or "—"
            # The description leads with the route for the console; the table has a column for it.
            about = re.sub(r"^(GET|POST|PUT|PATCH|DELETE) \S+ — ", "", spec["Properties"].get("Description", ""))
            about = (about[:1].upper() + about[1:]).replace("|", "\\|")
            lines.append(f"| [{name}](../functions/{resource}/{name}/src/main.rs) | {started} | {about} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    INDEX.write_text(render(), encoding="utf-8")
    print(f"wrote {INDEX.relative_to(cfn.ROOT)}")
