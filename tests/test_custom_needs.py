"""What a custom rule reads when its file does not say (`needs`): a gateway selector reads its
part of the model, so it also runs on APIs built from CloudFormation or Terraform resources;
a JSONPath or a Python check may read anything of the OpenAPI document."""

from __future__ import annotations

import pytest

from apilint.custom.loader import default_needs


@pytest.mark.parametrize(
    ("data", "needs"),
    [
        ({"given": {"methods": {"where": {"verb": "GET"}}}}, ["routes", "auth"]),
        ({"given": {"integrations": {}}}, ["routes", "integrations"]),
        ({"given": {"gateway-responses": {}}}, ["settings"]),
        ({"given": "$.paths[*][*]"}, ["document"]),
        ({"given": ["$.info", "$.paths"]}, ["document"]),
        ({"check": "acme_rules:every_method_tagged"}, ["document"]),
        ({"given": {"no-such-selector": {}}}, ["document"]),
    ],
)
def test_needs_follow_what_the_rule_reads(data: dict[str, object], needs: list[str]) -> None:
    assert default_needs(data) == needs
