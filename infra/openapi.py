"""Writes docs/openapi.yaml from the code: every HTTP function's binary
describes its own route with `--openapi` (its step's signature says what it
takes and answers: shared::edge::openapi), and this joins them, adding each
operation's description from the step's own doc comment. A schema two routes
name must be the same in both. tests/test_openapi.py fails when the committed
document is not what this writes, so it is never edited by hand:

    cargo build --workspace && python3 infra/openapi.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cfn  # noqa: E402

DOCUMENT = cfn.ROOT / "docs" / "openapi.yaml"
HEADER = ("# The contract of the Local Claims HTTP API, generated from the code by infra/openapi.py:\n"
          "# do not edit it. tests/test_openapi.py checks it is current and runs schemathesis over it.\n")
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", cfn.ROOT / "target")) / "debug"


def about(main_rs: Path) -> str:
    """The step's module doc (`//!`), the operation's description."""
    lines = []
    for line in main_rs.read_text().splitlines():
        if not line.startswith("//!"):
            break
        lines.append(line[3:].removeprefix(" "))
    return "\n".join(lines).strip()


def http_functions() -> list[str]:
    return sorted(name for name, crate in cfn.function_crates().items()
                  if "serve_http!" in (crate / "src" / "main.rs").read_text())


def described(function: str) -> dict:
    out = subprocess.run([str(TARGET / function), "--openapi"], capture_output=True, text=True, check=True,
                         timeout=60, env={"PATH": os.environ.get("PATH", "")})
    return json.loads(out.stdout)


def generate() -> dict:
    functions = http_functions()
    with ThreadPoolExecutor(max_workers=8) as pool:
        parts = list(pool.map(described, functions))
    document = None
    for function, part in zip(functions, parts):
        for item in part["paths"].values():
            for operation in item.values():
                operation["description"] = about(cfn.main_of(function))
        if document is None:
            document = part
            continue
        for path, item in part["paths"].items():
            for method, operation in item.items():
                if method in document["paths"].setdefault(path, {}):
                    raise AssertionError(f"{method.upper()} {path} is served by two functions")
                document["paths"][path][method] = operation
        schemas = document["components"]["schemas"]
        for name, schema in part["components"]["schemas"].items():
            if name in schemas and schemas[name] != schema:
                raise AssertionError(f"two schemas are named {name} ({function}'s differs): rename one")
            schemas[name] = schema
    assert document is not None, "no HTTP functions"
    named = set(document["components"]["schemas"])
    dangling = sorted({ref.rsplit("/", 1)[-1] for ref in references(document)} - named)
    if dangling:
        raise AssertionError(f"schemas referred to but never described: {dangling}")
    document["paths"] = {path: dict(sorted(document["paths"][path].items())) for path in sorted(document["paths"])}
    document["components"]["schemas"] = dict(sorted(document["components"]["schemas"].items()))
    document["tags"] = [{"name": tag} for tag in sorted({op["tags"][0] for item in document["paths"].values()
                                                         for op in item.values()})]
    # As a reader meets it: what it is, where it runs, its routes, then the schemas they name.
    order = ["openapi", "info", "servers", "security", "tags", "paths", "components"]
    return {key: document[key] for key in sorted(document, key=lambda k: order.index(k) if k in order else len(order))}


def references(node) -> list[str]:
    """Every `$ref` in the document, at any depth."""
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in references(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in references(value)]
    return []


def render(document: dict) -> str:
    return HEADER + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=120)


def main() -> None:
    text = render(generate())
    if "--check" in sys.argv:
        if DOCUMENT.read_text() != text:
            raise SystemExit("docs/openapi.yaml is not what the code says: run python3 infra/openapi.py")
        return
    DOCUMENT.write_text(text)
    print(f"wrote {DOCUMENT.relative_to(cfn.ROOT)}")


if __name__ == "__main__":
    main()
