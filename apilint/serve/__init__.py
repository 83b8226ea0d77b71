"""`apilint serve`: a local API Gateway. The definition answers HTTP requests on loopback as
API Gateway would, calling Python Lambda handlers in-process; what it does not emulate is
answered 501 (`apilint serve --explain`).

In-process use (what `apilint test --serve` builds on)::

    from apilint.serve import running

    with running("api.yaml", "app/", api_keys=("k" * 20,)) as base_url:
        ...  # requests to f"{base_url}/pets"
"""

from apilint.serve.server import Served, running, start
from apilint.serve.settings import ServeConfig

__all__ = ["ServeConfig", "Served", "running", "start"]
