"""Serving a CloudFormation/SAM template with its own functions.

The API: a SAM template goes through AWS's SAM translator (offline), so what is served is what
SAM deploys — implicit APIs built from `Api`/`HttpApi` events (ServerlessRestApi at stage
`Prod`, ServerlessHttpApi at `$default`), events merged into explicit APIs, SAM's CORS and
auth. A plain CloudFormation template is read as it is. The stage and its variables come from
the template's Stage resource.

The functions: each Lambda integration or authorizer URI (`${MyFunction.Arn}`, a `function:`
ARN naming `${MyFunction}` or a literal FunctionName) is tied to the template's
`AWS::Serverless::Function` / `AWS::Lambda::Function`, run by apilint.serve.functions with SAM
Globals applied (maps merged, lists appended, scalars replaced). `--handlers` still wins for
the functions it names (by logical id, FunctionName, or the name in the URI).
"""

from __future__ import annotations

import copy
import dataclasses
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apilint.common.errors import LoadError, UsageError
from apilint.document import cfn
from apilint.document.definitions import load_definitions, scan_template
from apilint.document.loader import Linker
from apilint.document.model import Document, NotAnApi, Sources
from apilint.engine.run import Settings, api_of, build_model, loading
from apilint.model.gateway import Api
from apilint.model.lambdas import (
    STAGE_VARIABLE,
    FunctionRef,
    function_part,
    lambda_targets,
    resolve_function,
)
from apilint.serve.functions import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_S,
    PYTHON_RUNTIME,
    FunctionRunner,
    FunctionSpec,
)
from apilint.serve.handlers import Handler, Handlers, HandlerSource, load_handlers
from apilint.serve.invoke import ACCOUNT_ID, REGION
from apilint.serve.responses import NotEmulated

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
#: What SAM would otherwise ask AWS for: pseudo parameters and the managed policy map.
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT_ID,
    "AWS::Partition": "aws",
    "AWS::StackName": "local",
    "AWS::URLSuffix": "amazonaws.com",
}
_MANAGED_POLICIES = {
    "AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
#: `sam package` uploads local code to S3 first; the translator only accepts S3 locations.
_STAND_IN = "s3://apilint-serve/stand-in"
_LOCAL_KEYS = ("CodeUri", "ContentUri", "DefinitionUri")
_LAYERS = {"AWS::Serverless::LayerVersion": "ContentUri", "AWS::Lambda::LayerVersion": "Content"}
_STAGES = {"AWS::ApiGateway::Stage": "RestApiId", "AWS::ApiGatewayV2::Stage": "ApiId"}
_REF = re.compile(r"\$\{([A-Za-z0-9:]+)\}")
#: What a URI names a template function by: ${Fn}, ${Fn.Arn}, ${Fn.Alias} (GetAtt/Ref/Sub).
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.(?:Arn|Alias|Version))?\}(?::[^:/]+)?")
_ARN_NAMING = re.compile(r"arn:[^:]*:lambda:[^:]*:[^:]*:function:" + _PLACEHOLDER.pattern)


@dataclass(frozen=True)
class Plan:
    """What to serve: the API's model, where its handlers come from, the template's stage."""

    api: Api
    handlers: HandlerSource | None
    stage: str | None = None
    stage_vars: dict[str, str] = field(default_factory=dict)


def plan(
    spec: str, handlers: str | None, settings: Settings | None = None, api_id: str | None = None
) -> Plan:
    """The plan for serving `spec`: a definition with `handlers` as given, or a template whose
    own functions run (`handlers` overriding some). Problems are one-line ApilintErrors."""
    settings = settings or Settings()
    with loading(spec):
        loaded = load_definitions(spec, spec, settings.max_bytes, settings.allow_outside_refs)
        if isinstance(loaded, NotAnApi) or loaded.template is None:
            if api_id is not None:
                raise UsageError(f"--api {api_id}: {spec} is a definition, not a template")
            return Plan(api_of(loaded, spec, settings), handlers)
        return _template_plan(spec, loaded, loaded.template, handlers, settings, api_id)


def _template_plan(
    spec: str,
    loaded: Sources,
    template: cfn.TemplateFile,
    handlers: str | None,
    settings: Settings,
    api_id: str | None,
) -> Plan:
    data = template.doc.data
    docs = loaded.docs
    resources = data["Resources"]
    if _is_sam(data):
        translated = translate(data, docs, spec)
        resources = translated["Resources"]
        linker = Linker(
            template.doc.abspath.parent, spec, settings.allow_outside_refs, settings.max_bytes
        )
        _, docs, _ = scan_template(dataclasses.replace(template.doc, data=translated), linker)
    doc = _choose(docs, api_id, spec, loaded)
    api = build_model(doc, settings)
    values = _Values(data)
    source = TemplateSource(
        spec,
        read_functions(data, template.doc.abspath.parent, values),
        _aliases(resources),
        handlers,
        api_id,
    )
    source.used = tuple(
        sorted({i for t in lambda_targets(api) if (i := source.resolve(t.uri, {})) is not None})
    )
    stage, variables = _stage(resources, str(doc.label), values)
    return Plan(api, source, stage, variables)


def _is_sam(data: dict[str, Any]) -> bool:
    transform = data.get("Transform")
    names = transform if isinstance(transform, list) else [transform]
    return SAM_TRANSFORM in names


def _choose(docs: list[Document], api_id: str | None, spec: str, loaded: Sources) -> Document:
    labels = [str(d.label) for d in docs]
    if api_id is not None:
        if api_id not in labels:
            raise UsageError(
                f"--api {api_id}: the template's APIs are {', '.join(sorted(labels)) or 'none'}",
                spec,
            )
        return docs[labels.index(api_id)]
    if not docs:
        why = "; ".join(loaded.notes) or (
            "no API resource with a definition and no function with Api or HttpApi events"
        )
        raise LoadError(f"the template has no API to serve: {why}", spec)
    if len(docs) > 1:
        raise UsageError(
            f"holds {len(docs)} APIs ({', '.join(sorted(labels))}); choose one with --api", spec
        )
    return docs[0]


# -- the SAM translator ----------------------------------------------------------------------


def translate(data: dict[str, Any], docs: list[Document], spec: str) -> dict[str, Any]:
    """The CloudFormation template SAM makes of `data`, offline. Definitions the template
    includes or names by DefinitionUri go in as DefinitionBody (`docs`: as apilint read them);
    other local code locations become S3 stand-ins, as after `sam package`."""
    import logging

    import boto3
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    logging.getLogger("samtranslator").setLevel(logging.ERROR)
    template = copy.deepcopy(data)
    bodies = {d.label: d.data for d in docs}
    for logical_id, resource in template["Resources"].items():
        props = resource.get("Properties") if isinstance(resource, dict) else None
        if isinstance(props, dict):
            if (
                resource.get("Type") in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
                and logical_id in bodies
            ):
                props.pop("DefinitionUri", None)
                props["DefinitionBody"] = copy.deepcopy(bodies[logical_id])
            _stand_in(props)
    globals_ = template.get("Globals")
    for section in globals_.values() if isinstance(globals_, dict) else ():
        if isinstance(section, dict):
            _stand_in(section)
    # A session with a region: SAM asks one for the partition (no AWS call is made).
    session = boto3.session.Session(region_name=REGION)
    try:
        out = Translator(None, Parser(), boto_session=session).translate(
            template,
            parameter_values=dict(PSEUDO),
            get_managed_policy_map=lambda: dict(_MANAGED_POLICIES),
        )
    except InvalidDocumentException as exc:
        causes = "; ".join(str(getattr(c, "message", c)) for c in exc.causes)
        raise UsageError(f"SAM cannot transform the template: {causes}", spec) from None
    except Exception as exc:  # noqa: BLE001 - the translator's own failures
        raise UsageError(
            f"SAM cannot transform the template ({type(exc).__name__}: {exc})", spec
        ) from None
    return dict(out)


def _stand_in(props: dict[str, Any]) -> None:
    for key in _LOCAL_KEYS:
        value = props.get(key)
        if isinstance(value, str) and not value.startswith("s3://"):
            props[key] = _STAND_IN


# -- the template's functions ----------------------------------------------------------------


class _Values:
    """Template values as far as a local run can know them: parameter defaults and pseudo
    parameters; anything else stays a `${...}` placeholder."""

    def __init__(self, data: dict[str, Any]) -> None:
        params = data.get("Parameters")
        self.known = dict(PSEUDO)
        for name, param in params.items() if isinstance(params, dict) else ():
            if isinstance(param, dict) and isinstance(param.get("Default"), (str, int, float)):
                self.known[str(name)] = str(param["Default"])

    def text(self, value: Any) -> str:
        rendered = cfn.render(value)
        if isinstance(rendered, bool):
            return "true" if rendered else "false"
        if not isinstance(rendered, (str, int, float)):
            return "${?}"
        return _REF.sub(lambda m: self.known.get(m.group(1), m.group(0)), str(rendered))

    def number(self, value: Any, default: float) -> float:
        try:
            return float(self.text(value)) if value is not None else default
        except ValueError:
            return default


def merge_globals(defaults: Any, own: Any) -> Any:
    """SAM Globals: "maps are merged, lists are additive, primitives are replaced" (an
    intrinsic function counts as a primitive)."""
    if _is_map(defaults) and _is_map(own):
        return {
            **defaults,
            **{k: merge_globals(defaults[k], v) if k in defaults else v for k, v in own.items()},
        }
    if isinstance(defaults, list) and isinstance(own, list):
        return defaults + own
    return own


def _is_map(value: Any) -> bool:
    return isinstance(value, dict) and not (
        len(value) == 1
        and next(iter(value)) in ("Ref", "Condition")
        or any(str(k).startswith("Fn::") for k in value)
    )


def read_functions(data: dict[str, Any], base: Path, values: _Values) -> dict[str, FunctionSpec]:
    """Every function of the template, by logical id; paths are relative to `base`."""
    resources = data["Resources"]
    globals_ = data.get("Globals")
    defaults = globals_.get("Function") if isinstance(globals_, dict) else None
    out = {}
    for logical_id, resource in resources.items():
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if kind not in cfn.FUNCTIONS:
            continue
        props = resource.get("Properties")
        props = props if isinstance(props, dict) else {}
        if kind == "AWS::Serverless::Function" and isinstance(defaults, dict):
            props = merge_globals(defaults, props)
        out[logical_id] = _function(logical_id, kind, props, resources, base, values)
    return out


def _function(
    logical_id: str,
    kind: str,
    props: dict[str, Any],
    resources: dict[str, Any],
    base: Path,
    values: _Values,
) -> FunctionSpec:
    sam = kind == "AWS::Serverless::Function"
    code = props.get("CodeUri" if sam else "Code")
    runtime = values.text(props["Runtime"]) if "Runtime" in props else None
    unsupported = None
    if props.get("PackageType") == "Image":
        unsupported = "PackageType Image"
    elif runtime is None or not PYTHON_RUNTIME.fullmatch(runtime):
        unsupported = f"Runtime {runtime or 'not given'}"
    elif "InlineCode" in props or (isinstance(code, dict) and "ZipFile" in code):
        unsupported = "inline code"
    elif not isinstance(code, str) or code.startswith("s3://"):
        unsupported = "code in S3, not in a local directory"
    environment = props.get("Environment")
    variables = environment.get("Variables") if isinstance(environment, dict) else None
    name = props.get("FunctionName")
    return FunctionSpec(
        logical_id,
        name if isinstance(name, str) and "${" not in name else logical_id,
        runtime,
        values.text(props["Handler"]) if "Handler" in props else None,
        (base / code) if isinstance(code, str) and unsupported is None else None,
        values.number(props.get("Timeout"), DEFAULT_TIMEOUT_S),
        int(values.number(props.get("MemorySize"), DEFAULT_MEMORY_MB)),
        {str(k): values.text(v) for k, v in variables.items()}
        if isinstance(variables, dict)
        else {},
        _layers(props.get("Layers"), resources, base),
        unsupported,
    )


def _layers(layers: Any, resources: dict[str, Any], base: Path) -> tuple[Path, ...]:
    """The local layers (`!Ref` to a LayerVersion of the template with a local path); layer
    ARNs name published layers, which are not fetched."""
    out = []
    for layer in layers if isinstance(layers, list) else ():
        ref = layer.get("Ref") if isinstance(layer, dict) else None
        target = resources.get(ref) if isinstance(ref, str) else None
        if not isinstance(target, dict) or target.get("Type") not in _LAYERS:
            continue
        props = target.get("Properties")
        where = props.get(_LAYERS[target["Type"]]) if isinstance(props, dict) else None
        if isinstance(where, str) and not where.startswith("s3://"):
            out.append(base / where)
    return tuple(out)


def _aliases(resources: dict[str, Any]) -> dict[str, str]:
    """Alias and version resources → the logical id of their function."""
    out = {}
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in cfn.FUNCTION_VARIANTS:
            props = resource.get("Properties")
            target = cfn.render(props.get("FunctionName")) if isinstance(props, dict) else None
            m = _PLACEHOLDER.fullmatch(target) if isinstance(target, str) else None
            if m:
                out[logical_id] = m.group(1)
    return out


def _stage(
    resources: dict[str, Any], api_id: str, values: _Values
) -> tuple[str | None, dict[str, str]]:
    """The name and variables of the API's (first) Stage resource."""
    for resource in resources.values():
        if not isinstance(resource, dict) or resource.get("Type") not in _STAGES:
            continue
        props = resource.get("Properties")
        if (
            isinstance(props, dict)
            and props.get(_STAGES[resource["Type"]]) == {"Ref": api_id}
            and "StageName" in props
        ):
            variables = props.get("Variables") or props.get("StageVariables")
            return values.text(props["StageName"]), {
                str(k): values.text(v) for k, v in variables.items()
            } if isinstance(variables, dict) else {}
    return None, {}


# -- handlers --------------------------------------------------------------------------------


@dataclass
class TemplateSource:
    """Handlers from a template's functions (apilint.serve.handlers.HandlerLoader)."""

    where: str  # the template as the user named it
    functions: dict[str, FunctionSpec]
    aliases: dict[str, str]
    overrides: str | None = None  # --handlers
    api_id: str | None = None  # --api
    used: tuple[str, ...] = ()  # the functions the API invokes: loaded at start

    def resolve(self, uri: Any, stage_vars: Mapping[str, str]) -> str | None:
        """The logical id of the template function a Lambda URI invokes, or None."""
        text = STAGE_VARIABLE().sub(
            lambda m: stage_vars.get(m.group(1), m.group(0)), str(uri or "")
        )
        # Pseudo parameters first: `${AWS::Region}` would break the ARN apart at its colons.
        text = _REF.sub(lambda m: PSEUDO.get(m.group(1), m.group(0)), text)
        fn = function_part(text) or text
        m = _PLACEHOLDER.fullmatch(fn) or _ARN_NAMING.fullmatch(fn)
        if m:
            logical_id = self.aliases.get(m.group(1), m.group(1))
            return logical_id if logical_id in self.functions else None
        ref = resolve_function(text, dict(stage_vars))
        name = ref.name if isinstance(ref, FunctionRef) else None
        return next((i for i, f in self.functions.items() if name in (i, f.name)), None)

    def load(self) -> Handlers:
        own = load_handlers(self.overrides) if self.overrides is not None else Handlers({})
        lookup = TemplateLookup(self, own.table)
        for logical_id in self.used:  # loaded now: start-up notes name what does not load
            spec = self.functions[logical_id]
            if spec.unsupported is None and lookup.override(spec) is None:
                lookup.runner(logical_id)
        return Handlers(
            own.table, own.files + tuple(r.file for r in lookup.runners.values()), lookup
        )


class TemplateLookup:
    """Finds the handler of a Lambda URI among the template's functions."""

    def __init__(self, source: TemplateSource, overrides: Mapping[str, Handler]) -> None:
        self.source = source
        self.overrides = overrides
        self.runners: dict[str, FunctionRunner] = {}
        self._lock = threading.Lock()

    def find(self, uri: str, stage_vars: Mapping[str, str]) -> tuple[str, Handler] | None:
        logical_id = self.source.resolve(uri, stage_vars)
        if logical_id is None:
            return None
        spec = self.source.functions[logical_id]
        override = self.override(spec)
        if override is not None:
            return spec.name, override
        if spec.unsupported is not None:
            raise NotEmulated(
                f"function {logical_id} ({spec.unsupported}); apilint serve runs "
                "Python functions only, or give it a handler with --handlers"
            )
        return spec.name, self.runner(logical_id)

    def override(self, spec: FunctionSpec) -> Handler | None:
        """The --handlers handler named like the function (logical id or FunctionName)."""
        return self.overrides.get(spec.logical_id) or self.overrides.get(spec.name)

    def runner(self, logical_id: str) -> FunctionRunner:
        with self._lock:  # a URI through a stage variable may name a function first used now
            if logical_id not in self.runners:
                self.runners[logical_id] = FunctionRunner(self.source.functions[logical_id])
            return self.runners[logical_id]

    @property
    def problems(self) -> list[str]:
        """Functions whose code does not load (each invocation fails, as on Lambda)."""
        return [f"function {i}: {r.error}" for i, r in sorted(self.runners.items()) if r.error]


def template_problems(handlers: Handlers) -> list[str]:
    """What the start-up notes say about the template's functions."""
    lookup = handlers.lookup
    return lookup.problems if isinstance(lookup, TemplateLookup) else []
