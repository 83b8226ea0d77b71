"""apilint.serve.sam: the local layers of a function, from whatever a template writes."""

from __future__ import annotations

from pathlib import Path

from apilint.serve.sam import _layers


def test_a_ref_that_is_not_a_name_is_no_layer_and_no_crash(tmp_path: Path) -> None:
    resources = {
        "Shared": {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {"ContentUri": "layers/shared"},
        }
    }
    layers = [
        {"Ref": ["Shared"]},
        {"Ref": {"Fn::Sub": "Shared"}},
        {"Ref": "Shared"},
        {"Ref": None},
        "arn:aws:lambda:us-east-1:123456789012:layer:x:1",
    ]
    assert _layers(layers, resources, tmp_path) == (tmp_path / "layers/shared",)
