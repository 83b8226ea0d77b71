"""Every API definition a file holds: itself, or those a CloudFormation/SAM template or a
Terraform configuration embeds or includes. Above the readers (loader, cfn, sam, terraform,
includers), which never import it."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apilint.document.loader import (
    DEFAULT_MAX_BYTES,
    NO_VERSION,
    Linker,
    is_template,
    read_document,
    real_path,
    shown_for,
)
from apilint.document.model import Document, NotAnApi, Sources

if TYPE_CHECKING:  # the template front end: imported for templates only (scan_template)
    from apilint.document.cfn import TemplateFile


def load_definitions(
    path: str | os.PathLike[str],
    shown: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_outside: bool = False,
    in_context: bool = False,
) -> Sources | NotAnApi:
    """Every API definition a file holds: itself, or those embedded in or included by a
    CloudFormation/SAM template or a Terraform configuration. `in_context`: a definition file
    that templates of its repository include is read through them (apilint.document.includers)."""
    p = Path(path)
    shown = shown if shown is not None else str(path)
    linker = Linker(real_path(p, shown).parent, shown, allow_outside, max_bytes)
    if p.suffix.lower() == ".tf":
        from apilint.document import terraform  # imported for .tf files only
        from apilint.document.tf_resources import resource_apis

        docs, notes = terraform.scan(p, linker, resource_apis)
        return Sources(shown, docs, notes=notes, what="Terraform configuration")
    loaded = read_document(p, shown, max_bytes, aside=True)
    if isinstance(loaded, NotAnApi):
        return loaded
    if loaded.version:
        if in_context:
            from apilint.document.includers import through_templates

            through = through_templates(loaded, max_bytes)
            if through:
                return Sources(shown, through)
        return Sources(shown, [loaded])
    if not is_template(loaded.data):
        return NotAnApi(shown, NO_VERSION)
    template, docs, notes = scan_template(loaded, linker)
    return Sources(shown, docs, template, notes, "CloudFormation template")


def scan_template(
    doc: Document, linker: Linker, depth: int = 0
) -> tuple[TemplateFile, list[Document], list[str]]:
    """The template, the definitions it holds (those of its nested stacks' templates too), and
    notes on those that cannot be read here."""
    # The front ends of APIs built from resources, imported for templates only: a definition
    # file, the common case, needs none of them.
    from apilint.document import cfn
    from apilint.document.cdk import nested_stacks
    from apilint.document.cfn_resources import built_apis

    template = cfn.template_file(doc)
    found: list[Document] = []
    notes: list[str] = []
    sam = _sam_translation(template)
    if sam is not None:  # SAM APIs as SAM generates them; the others below, as written
        template = dataclasses.replace(template, sam=sam)
        found.extend(sam.docs)
        notes.extend(sam.notes)
    apis = [a for a in template.apis() if sam is None or a.logical_id not in sam.covered]
    for api in apis:
        found.extend(cfn.definitions(template, api, linker, notes))
    found.extend(built_apis(template, apis, notes))  # APIs without a body: their resources
    for logical_id, location in nested_stacks(template):
        found.extend(_nested(linker, logical_id, location, notes, depth))
    return template, found, notes


#: How deep nested stacks are followed (CloudFormation allows a few levels; a loop ends here).
_MAX_NESTING = 5


def _nested(
    linker: Linker, logical_id: str, location: str, notes: list[str], depth: int
) -> list[Document]:
    """The definitions in a nested stack's template (a local asset of a CDK assembly)."""
    what = f"nested stack {logical_id}"
    target = real_path(linker.base / location, location)
    if depth >= _MAX_NESTING or not (linker.allow_outside or target.is_relative_to(linker.base)):
        notes.append(f"{what} ({location}) is not followed (nested too deep or outside)")
        return []
    shown = shown_for(linker.shown, target)
    loaded = read_document(target, shown, linker.max_bytes)
    if isinstance(loaded, NotAnApi) or not is_template(loaded.data):
        notes.append(f"{what}: {location} is not a CloudFormation template; not linted")
        return []
    inner = Linker(target.parent, shown, linker.allow_outside, linker.max_bytes)
    _, docs, inner_notes = scan_template(loaded, inner, depth + 1)
    notes.extend(f"{what}: {n}" for n in inner_notes)
    return docs


def _sam_translation(template: TemplateFile) -> Any:
    """apilint.document.sam's Translation of a SAM template, else None (imported only here:
    the translator is heavy)."""
    from apilint.document import sam

    return sam.translate(template.doc, template) if sam.is_sam(template.doc.data) else None
