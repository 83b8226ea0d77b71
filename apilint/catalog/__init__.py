"""The rule catalog: rule metadata (registry), `apilint explain` and the generated rule docs, all from the same rule files."""
