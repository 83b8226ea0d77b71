"""The gateway view of a definition: what API Gateway itself would create from it."""

from apilint.model.build import build_api
from apilint.model.gateway import (
    Api,
    Auth,
    Integration,
    Method,
    Parameter,
    Resource,
    SecurityScheme,
)

__all__ = [
    "Api",
    "Auth",
    "Integration",
    "Method",
    "Parameter",
    "Resource",
    "SecurityScheme",
    "build_api",
]
