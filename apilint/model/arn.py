"""The grammar of Lambda invocation URIs and function ARNs, with placeholders as wildcards.

Sources: botocore apigateway/lambda models (Authorizer.authorizerUri, FunctionArn pattern),
botocore partitions.json, and the API Gateway developer guide (see rules/lambda-uri-invalid.yaml).
"""

from __future__ import annotations

from apilint.common.regex import lazy
from apilint.document.placeholders import UNKNOWN, mask

#: partition → region pattern (botocore partitions.json), compiled when first used: a run
#: without ARNs to read (most) does not compile them.
PARTITION_REGIONS = {
    "aws": lazy(r"^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$"),
    "aws-cn": lazy(r"^cn-\w+-\d+$"),
    "aws-us-gov": lazy(r"^us-gov-\w+-\d+$"),
    "aws-iso": lazy(r"^us-iso-\w+-\d+$"),
    "aws-iso-b": lazy(r"^us-isob-\w+-\d+$"),
    "aws-iso-e": lazy(r"^eu-isoe-\w+-\d+$"),
    "aws-iso-f": lazy(r"^us-isof-\w+-\d+$"),
    "aws-eusc": lazy(r"^eusc-(de)-\w+-\d+$"),
}
REGION_SHAPE = lazy(r"^[a-z]{2}(-[a-z]+)+-\d+$")
FUNCTION_NAME = lazy(r"^[A-Za-z0-9_-]{1,64}$")
QUALIFIER = lazy(r"^(\$LATEST|[0-9]+|[A-Za-z0-9_-]{1,128})$")
ACCOUNT = lazy(r"^\d{12}$")

_INVOKE = lazy(
    r"^arn:(?P<partition>[^:]*):apigateway:(?P<region>[^:]*):lambda:path/"
    r"(?P<date>[^/]*)/functions/(?P<function>.+)/(?P<action>[^/]+)$"
)
ACTIONS = {"2015-03-31": "invocations", "2021-11-15": "response-streaming-invocations"}


def unknown(part: str) -> bool:
    return UNKNOWN in part


def _check_partition_region(partition: str, region: str, what: str) -> list[str]:
    problems: list[str] = []
    if unknown(partition) or unknown(region):
        return problems
    if partition not in PARTITION_REGIONS:
        problems.append(
            f"{what} partition {partition!r} is not an AWS partition "
            f"({', '.join(PARTITION_REGIONS)})"
        )
        return problems
    if not REGION_SHAPE().match(region):
        problems.append(f"{what} region {region!r} is not a region name like 'us-east-1'")
    elif not PARTITION_REGIONS[partition]().match(region):
        owner = next((p for p, rx in PARTITION_REGIONS.items() if rx().match(region)), None)
        hint = f" (region {region!r} belongs to partition {owner!r})" if owner else ""
        problems.append(f"{what} partition {partition!r} does not contain region {region!r}{hint}")
    return problems


def function_arn_problems(arn: str) -> tuple[list[str], str | None, str | None]:
    """Problems of a (masked) Lambda function ARN, plus its partition and region when literal."""
    if arn == UNKNOWN:
        return [], None, None
    parts = arn.split(":")
    if len(parts) < 7 or parts[0] != "arn" or parts[2] != "lambda" or parts[5] != "function":
        if any(unknown(p) for p in parts):
            return [], None, None  # a placeholder may stand for several ARN parts
        return (
            [
                f"{_show(arn)} is not a Lambda function ARN "
                "(arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])"
            ],
            None,
            None,
        )
    if len(parts) > 8:
        return [f"{_show(arn)} has too many ':'-separated parts for a function ARN"], None, None
    partition, region, account, name = parts[1], parts[3], parts[4], parts[6]
    qualifier = parts[7] if len(parts) == 8 else None
    problems = _check_partition_region(partition, region, "function ARN")
    if not unknown(account) and not ACCOUNT().match(account):
        problems.append(f"account id {account!r} in {_show(arn)} must be exactly 12 digits")
    if not unknown(name) and not FUNCTION_NAME().match(name):
        problems.append(f"function name {name!r} must be 1-64 letters, digits, '-' or '_'")
    if qualifier is not None and not unknown(qualifier) and not QUALIFIER().match(qualifier):
        problems.append(
            f"qualifier {qualifier!r} must be $LATEST, a version number or an alias name"
        )
    return (
        problems,
        None if unknown(partition) else partition,
        None if unknown(region) else region,
    )


def invocation_uri_problems(uri: str, allow_bare_function_arn: bool) -> list[str]:
    """Problems of a Lambda integration/authorizer URI; placeholders match anything."""
    masked = mask(uri.strip())
    if masked == UNKNOWN:
        return []
    if masked.startswith("arn:") and ":lambda:" in masked and ":apigateway:" not in masked:
        problems, _, _ = function_arn_problems(masked)
        if not allow_bare_function_arn:
            problems.insert(
                0,
                f"{_show(masked)} is a bare function ARN; REST APIs need the "
                "invocation URI arn:PARTITION:apigateway:REGION:lambda:path/"
                "2015-03-31/functions/FUNCTION_ARN/invocations",
            )
        return problems
    m = _INVOKE().match(masked)
    if not m:
        return [
            f"{_show(masked)} is not a Lambda invocation URI (arn:PARTITION:apigateway:REGION:"
            "lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations)"
        ]
    problems = _check_partition_region(m["partition"], m["region"], "invocation URI")
    date, action = m["date"], m["action"]
    if not unknown(date) and date not in ACTIONS:
        problems.append(
            f"API version {date!r} must be 2015-03-31 (or 2021-11-15 for response streaming)"
        )
    elif not unknown(date) and not unknown(action) and action != ACTIONS[date]:
        problems.append(f"path/{date}/functions/... must end with /{ACTIONS[date]}, not /{action}")
    fn_problems, fn_partition, fn_region = function_arn_problems(m["function"])
    problems += fn_problems
    if fn_region and not unknown(m["region"]) and fn_region != m["region"]:
        problems.append(
            f"the URI's region {m['region']!r} differs from the function's region "
            f"{fn_region!r}; they must be the same"
        )
    if fn_partition and not unknown(m["partition"]) and fn_partition != m["partition"]:
        problems.append(
            f"the URI's partition {m['partition']!r} differs from the function's "
            f"partition {fn_partition!r}"
        )
    return problems


def _show(text: str) -> str:
    shown = text.replace(UNKNOWN, "${…}")
    return repr(shown if len(shown) <= 120 else shown[:117] + "...")
