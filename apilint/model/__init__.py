"""The gateway view of a definition: what API Gateway itself would create from it."""

from apilint.model.gateway import (Api, Auth, Integration, Method, Parameter, Resource,
                                   SecurityScheme)
from apilint.model.build import build_api

__all__ = ["Api", "Auth", "Integration", "Method", "Parameter", "Resource", "SecurityScheme",
           "build_api"]
