"""Reads template.yaml: the one definition of every resource, route, queue and
schedule. The local stack is built from what this module returns, so the
emulator and AWS cannot drift apart silently."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _Tag(dict):
    """An intrinsic function such as !Ref or !GetAtt, kept as {'Ref': ...}."""


def _loader() -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def construct(tag: str) -> Callable:
        name = "Ref" if tag == "Ref" else f"Fn::{tag}"

        def build(loader, node):
            if isinstance(node, yaml.ScalarNode):
                value = loader.construct_scalar(node)
                if tag == "GetAtt":
                    value = value.split(".", 1)
            elif isinstance(node, yaml.SequenceNode):
                value = loader.construct_sequence(node, deep=True)
            else:
                value = loader.construct_mapping(node, deep=True)
            return _Tag({name: value})

        return build

    for tag in ["Ref", "Sub", "GetAtt", "Join", "Select", "Split", "If", "Equals", "Not", "And", "Or",
                "FindInMap", "ImportValue", "Base64", "Cidr", "GetAZs", "Condition"]:
        Loader.add_constructor(f"!{tag}", construct(tag))
    return Loader


def load_template(path: Path = TEMPLATE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_loader())


@dataclass
class Resolver:
    """Resolves intrinsics against the local stand-ins' names and ARNs."""

    template: dict
    pseudo: dict[str, str]
    physical: dict[str, str] = field(default_factory=dict)
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)
    #: Secret values by secret id (ARN), for `{{resolve:secretsmanager:…}}` references.
    secrets: dict[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> str | None:
        spec = self.template.get("Parameters", {}).get(name)
        return None if spec is None else str(spec.get("Default", ""))

    def ref(self, name: str) -> str:
        if name in self.pseudo:
            return self.pseudo[name]
        value = self.parameter(name)
        if value is not None:
            return value
        if name in self.physical:
            return self.physical[name]
        raise KeyError(f"!Ref {name} is not created yet")

    def get_att(self, name: str, attribute: str) -> str:
        try:
            return self.attributes[(name, attribute)]
        except KeyError as missing:
            raise KeyError(f"!GetAtt {name}.{attribute} is not created yet") from missing

    def resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            if "Ref" in value and len(value) == 1:
                return self.ref(value["Ref"])
            if "Fn::GetAtt" in value:
                name, attribute = value["Fn::GetAtt"]
                return self.get_att(name, attribute)
            if "Fn::Sub" in value:
                return self._dynamic(self._sub(value["Fn::Sub"]))
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def _dynamic(self, text: str) -> str:
        """`{{resolve:secretsmanager:<id>:SecretString}}`, as CloudFormation resolves it at deploy."""

        def replace(match: re.Match) -> str:
            reference = match.group(1)
            secret_id, _, rest = reference.partition(":SecretString")
            if rest not in ("", ":"):
                raise KeyError(f"only whole secret strings are resolved: {reference}")
            return self.secrets[secret_id]

        return re.sub(r"\{\{resolve:secretsmanager:([^}]+)\}\}", replace, text)

    def _sub(self, template: Any) -> str:
        text, extra = (template, {}) if isinstance(template, str) else (template[0], template[1])

        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name in extra:
                return str(self.resolve(extra[name]))
            if "." in name and not name.startswith("AWS::"):
                resource, attribute = name.split(".", 1)
                return self.get_att(resource, attribute)
            return self.ref(name)

        return re.sub(r"\$\{([^}!]+)\}", replace, text)


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {name: spec for name, spec in template["Resources"].items() if spec["Type"] == kind}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    public: bool


def functions(template: dict) -> dict[str, dict]:
    """Logical id → function spec, for every Lambda function."""
    return resources(template, "AWS::Serverless::Function")


def binary(spec: dict) -> str:
    return spec["Metadata"]["BuildProperties"]["Binary"]


FUNCTIONS = ROOT / "functions"


def function_crates() -> dict[str, Path]:
    """Function name → its crate's folder (`functions/<resource>/<function>`)."""
    return {path.parent.name: path.parent for path in FUNCTIONS.glob("*/*/Cargo.toml")}


def main_of(function: str) -> Path:
    """The step's source: `functions/<resource>/<function>/src/main.rs`."""
    crate = function_crates().get(function)
    if crate is None:
        raise AssertionError(f"there is no functions/<resource>/{function} crate")
    return crate / "src" / "main.rs"


def routes(template: dict) -> list[Route]:
    found = []
    for spec in functions(template).values():
        for event in spec["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                props = event["Properties"]
                public = props.get("Auth", {}).get("Authorizer") == "NONE"
                found.append(Route(props["Method"].upper(), props["Path"], binary(spec), public))
    return sorted(found, key=lambda r: (r.path, r.method))


def events_of(template: dict, kind: str) -> list[tuple[str, dict]]:
    """(binary, event properties) for every event of one type (SQS, ScheduleV2, ...)."""
    found = []
    for spec in functions(template).values():
        for event in spec["Properties"].get("Events", {}).values():
            if event["Type"] == kind:
                found.append((binary(spec), event["Properties"]))
    return found


@functools.lru_cache(maxsize=1)
def route_matchers() -> tuple[tuple[str, re.Pattern, str, str], ...]:
    """(method, pattern of its paths, function, path template) of every route in template.yaml."""
    return tuple((r.method, re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", r.path) + "$"), r.function, r.path)
                 for r in routes(load_template()))


def route_of(method: str, path: str) -> str:
    """The template's path of the route a request went to (`/claims/{id}` for `/claims/12`)."""
    bare = path.split("?", 1)[0]
    return next((template for m, rx, _, template in route_matchers() if m == method and rx.match(bare)), bare)
