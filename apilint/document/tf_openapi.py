"""The OpenAPI document that Terraform resources add up to, with every node placed on the
attribute that writes it (what the REST and HTTP readers of `aws_api_gateway_*` resources share).

API Gateway exports an API built from resources as OpenAPI 3 with its extensions; the readers
write the same document, so the one gateway model (apilint.model.build) reads it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from apilint.common.findings import Span
from apilint.document.hcl import Converter, call, unwrap
from apilint.document.pointer import Tokens
from apilint.document.resources import Writer
from apilint.document.tf_module import Block, Module, reference

INTEGRATION = "x-amazon-apigateway-integration"
ANY_METHOD = "x-amazon-apigateway-any-method"
SIGV4 = "sigv4"
#: `{type: apiKey}` stands in for every authorizer scheme, as API Gateway's export writes it.
_HEADER_SCHEME = {"type": "apiKey", "name": "Authorization", "in": "header"}


@dataclass
class Out:
    """The document being written (a resources.Writer: each node placed at the tokens of a
    block or attribute in the .tf file) and the positions of those tokens (`spans`).

    Findings are reported in the file of the API resource; a block of another .tf file of the
    module is placed at the API resource (its facts count, its lines are another file's)."""

    module: Module
    api: Block
    writer: Writer
    spans: dict[Tokens, Span] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        return self.writer.data

    def place(self, tokens: Tokens, where: Tokens, mirror: bool = False) -> None:
        self.writer.place(tokens, where, mirror)

    def at(self, block: Block, name: str | None = None) -> Tokens:
        """The file's tokens of a block (its first line) or of one of its attributes (the
        block when the attribute is absent), with their position recorded."""
        if block.path != self.api.path:
            return self.at(self.api)
        if name is None or name not in block.attrs:
            self.spans[block.tokens] = block.span
            return block.tokens
        self.spans[block.tokens + (name,)] = block.attr_span(name)
        return block.tokens + (name,)

    def node(self, tokens: Tokens, where: Tokens | None = None) -> dict[str, Any]:
        """The mapping at `tokens` (created, and placed at `where`, when missing)."""
        here = self.data
        for i, key in enumerate(tokens):
            if key not in here:
                here[key] = {}
                if where is not None and i == len(tokens) - 1:
                    self.place(tokens, where)
            here = here[key]
        return here

    def value(self, block: Block, name: str, tokens: Tokens) -> Any:
        """An attribute's value (None when absent) written at `tokens`: the node and each
        object key or list item below it placed where the file writes it."""
        attr = block.attrs.get(name)
        if attr is None:
            return None
        where = block.tokens + (name,)
        self._mirror(block, where, tokens)
        value = Converter(block.source, self._spans(block)).value(attr.children[-1], where, attr)
        return invocation(follow(self.module, value))

    def _mirror(self, block: Block, where: Tokens, tokens: Tokens) -> None:
        """Place `tokens` at `where` in the block, object keys and list items below it at
        theirs."""
        if block.path != self.api.path:
            self.place(tokens, self.at(block))
        else:
            self.place(tokens, where, mirror=True)

    def _spans(self, block: Block) -> dict[Tokens, Span]:
        """Where to record the positions of a block's values (nowhere for another file's)."""
        return self.spans if block.path == self.api.path else {}

    def schema(self, block: Block, name: str, tokens: Tokens) -> Any:
        """A JSON Schema attribute: `jsonencode({...})` as its object (each key placed where it
        is written), or JSON text; None when neither."""
        attr = block.attrs.get(name)
        called, args = call(unwrap(attr.children[-1])) if attr is not None else (None, [])
        if attr is not None and called == "jsonencode" and len(args) == 1:
            where = block.tokens + (name,)
            value = Converter(block.source, self._spans(block)).value(args[0], where, attr)
            for key in value if isinstance(value, dict) else ():
                self._mirror(block, where + (key,), tokens + (key,))
            return value
        value = block.literal(name)
        try:
            decoded = json.loads(value) if isinstance(value, str) else None
        except ValueError:
            return None
        for key in decoded if isinstance(decoded, dict) else ():  # JSON text: the attribute
            self.place(tokens + (key,), self.at(block, name))
        return decoded

    def copy(self, block: Block, names: dict[str, str], tokens: Tokens) -> dict[str, Any]:
        """Attributes of `block` (Terraform name → OpenAPI key) into the mapping at `tokens`."""
        target = self.node(tokens, self.at(block))
        for name, key in names.items():
            value = self.value(block, name, tokens + (key,))
            if value is not None:
                target[key] = value
        return target


def verb_key(verb: str) -> str:
    return ANY_METHOD if verb == "ANY" else verb.lower()


def follow(module: Module, value: Any, depth: int = 0) -> Any:
    """A value that refers to a literal attribute of another resource, read through
    (`http_method = aws_api_gateway_method.get.http_method`); anything else as it is."""
    ref = reference(value)
    block = module.resources.get(ref.address) if ref is not None else None
    if block is None or ref is None or ref.attribute not in block.attrs or depth > 8:
        return value
    return follow(module, block.literal(ref.attribute), depth + 1)


#: What `invoke_arn` of a function or alias is (AWS provider: "ARN to be used for invoking
#: Lambda Function from API Gateway"): the invocation URI around the function's ARN.
_INVOKE_ARN = "arn:${{partition}}:apigateway:${{region}}:lambda:path/2015-03-31/functions/${{{address}.arn}}/invocations"
_INVOKABLE = ("aws_lambda_function", "aws_lambda_alias")


def invocation(value: Any) -> Any:
    """`aws_lambda_function.x.invoke_arn` as the invocation URI it stands for (the function's
    ARN still a reference), so that rules see a Lambda integration; anything else as it is."""
    ref = reference(value)
    if ref is None or ref.attribute != "invoke_arn" or not ref.address.startswith(_INVOKABLE):
        return value
    return _INVOKE_ARN.format(address=value.strip()[2:-1].rsplit(".", 1)[0])


def children(out: Out, kind: str, key: str) -> list[Block]:
    """The blocks of a type whose `key` (rest_api_id, api_id) names the API's id. A block with
    `count = 0` is none; one whose count or for_each Terraform decides is read as one instance,
    with a note (its facts are kept, so that its absence invents no finding either)."""
    found = []
    for block in out.module.of_type(kind):
        if not points_at(out.module, block.literal(key), out.api.address, "id"):
            continue
        count = block.literal(block.repeated) if block.repeated else 1
        if count == 0:
            continue
        if count != 1:
            told = (
                f"count {count}"
                if isinstance(count, int)
                else f"{block.repeated} is not known before `terraform apply`"
            )
            out.notes.append(f"{block.address}: {told}; read as one instance")
        found.append(block)
    return found


def points_at(module: Module, value: Any, address: str, attribute: str) -> bool:
    ref = reference(follow(module, value))
    return ref is not None and ref.address == address and ref.attribute == attribute


def text(value: Any) -> str | None:
    """A literal string (None for a placeholder or anything else)."""
    return value if isinstance(value, str) and "${" not in value else None


def unknown(block: Block, what: str, value: Any) -> str:
    shown = value if isinstance(value, str) else repr(value)
    return f"{block.address}: {what} {shown} is not known before `terraform apply`; not linted"


def scheme(out: Out, name: str, where: Tokens, extra: dict[str, Any]) -> Tokens:
    tokens = ("components", "securitySchemes", name)
    out.node(tokens, where).update({**_HEADER_SCHEME, **extra})
    return tokens


def unknown_scheme(out: Out, block: Block, attribute: str, value: Any) -> str:
    """A scheme standing for authorization Terraform decides (a variable, an authorizer with
    count): its kind is unknown, never "unauthenticated"."""
    shown = value if isinstance(value, str) and value.startswith("${") else "${unknown}"
    name = f"{block.address}.{attribute}"
    scheme(out, name, out.at(block, attribute), {"x-amazon-apigateway-authtype": shown})
    return name


_HEADER_SOURCE = re.compile(r"^(?:method\.request\.header\.|\$request\.header\.)(.+)$", re.I)


def header_of(source: Any) -> str:
    """The header an identity source names first (Authorization by default)."""
    first = source.split(",")[0].strip() if isinstance(source, str) else ""
    m = _HEADER_SOURCE.match(first)
    return m.group(1) if m else "Authorization"


def path_parameters(path: str) -> list[dict[str, Any]]:
    """Path parameters API Gateway passes for a resource path (the export declares them)."""
    return [
        {"name": name.rstrip("+"), "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{([^{}]+)\}", path)
    ]
