"""An organisation's own rules: declarative rule files (`given` + `then`), Python rules and rule
packs. They produce violations as built-in checks do, and the engine runs them alike."""
