"""`apilint test`: contract-test a deployed API Gateway stage against its definition.

Fuzzing runs schemathesis (imported only here, and only by `apilint test`) on a normalised copy
of the definition; gateway probes then check what API Gateway itself answers (CORS preflight,
auth, API keys, unknown routes, request validators). Both report `Finding`s, so every lint
output format works for test results too.

In-process entry point: `apilint.contract.runner.run_contract(ContractOptions(...))`.
"""
