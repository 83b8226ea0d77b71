"""How API Gateway's importer treats a definition's *warnings* in the deployment around it.

An import has errors (the import fails) and warnings: by default (`failonwarnings=false`) the
import succeeds and the part that caused the warning is silently dropped. Teams can make
warnings fatal: `FailOnWarnings` on `AWS::ApiGateway::RestApi`, `AWS::ApiGatewayV2::Api` and
SAM's `Api`/`HttpApi` (also through `Globals`), `fail_on_warnings` on Terraform's
`aws_api_gateway_rest_api`/`aws_apigatewayv2_api`, `--fail-on-warnings` on the CLI (and the
`import-fails-on-warnings` configuration key for pipelines that pass it).
Sources: BOTO ImportRestApi/PutRestApi `failonwarnings`; the import-api-errors-warnings page.
"""

from __future__ import annotations

from typing import Any

from apilint.document.model import Document


def fails_on_warnings(doc: Document) -> str | None:
    """What makes this definition's import fail on warnings (`FailOnWarnings` on MyApi,
    `fail_on_warnings` on aws_api_gateway_rest_api.x), or None."""
    iac: Any = doc.iac
    api = getattr(iac, "api", None)  # a CloudFormation/SAM template's API resource
    if api is not None and _true(api.properties.get("FailOnWarnings")):
        return f"FailOnWarnings on {api.logical_id}"
    if getattr(iac, "fail_on_warnings", False):  # a Terraform resource
        return f"fail_on_warnings on {iac.address}"
    return None


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")
