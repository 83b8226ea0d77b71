"""Acme's apilint rule pack: rules/ and apilint.toml beside this file."""
