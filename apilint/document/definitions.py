"""Every API definition a file holds: itself, or those a CloudFormation/SAM template or a
Terraform configuration embeds or includes. Above the readers (loader, cfn, sam, terraform,
includers), which never import it."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from apilint.document import cfn
from apilint.document.cfn import TemplateFile
from apilint.document.cfn_resources import built_apis
from apilint.document.loader import (
    DEFAULT_MAX_BYTES,
    NO_VERSION,
    Linker,
    read_document,
    real_path,
)
from apilint.document.model import Document, NotAnApi, Sources


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

        docs, notes = terraform.scan(p, linker)
        return Sources(shown, docs, notes=notes, what="Terraform configuration")
    loaded = read_document(p, shown, max_bytes)
    if isinstance(loaded, NotAnApi):
        return loaded
    if loaded.version:
        if in_context:
            from apilint.document.includers import through_templates

            through = through_templates(loaded, max_bytes)
            if through:
                return Sources(shown, through)
        return Sources(shown, [loaded])
    if not cfn.is_template(loaded.data):
        return NotAnApi(shown, NO_VERSION)
    template, docs, notes = scan_template(loaded, linker)
    return Sources(shown, docs, template, notes, "CloudFormation template")


def scan_template(doc: Document, linker: Linker) -> tuple[TemplateFile, list[Document], list[str]]:
    """The template, the definitions it holds, and notes on those that cannot be read here."""
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
    return template, found, notes


def _sam_translation(template: TemplateFile) -> Any:
    """apilint.document.sam's Translation of a SAM template, else None (imported only here:
    the translator is heavy)."""
    from apilint.document import sam

    return sam.translate(template.doc, template) if sam.is_sam(template.doc.data) else None
