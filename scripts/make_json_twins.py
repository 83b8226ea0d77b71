"""Write a JSON twin of each `fixtures/rules/*/oas3*.yaml` fixture, with its `.expect` sidecar.

The sidecar lines come from apilint itself and must be reviewed before committing; the test
suite then checks each twin against its hand-annotated YAML original by (code, JSON pointer).
Usage: python scripts/make_json_twins.py [RULE_NAME ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from apilint.document import load_document  # noqa: E402
from apilint.engine.run import Settings, run_rules  # noqa: E402


def main(names: list[str]) -> int:
    for source in sorted((ROOT / "fixtures" / "rules").glob("*/oas3*.yaml")):
        if "clean" in source.stem:
            continue
        rule = source.parent.name
        if names and rule not in names:
            continue
        text = source.read_text()
        options = next(
            (
                line.split("options:", 1)[1].strip()
                for line in text.splitlines()[:5]
                if line.startswith("# options:")
            ),
            "{}",
        )
        data = yaml.safe_load(text)
        target = source.with_suffix(".json")
        target.write_text(json.dumps(data, indent=2) + "\n")
        settings = Settings(select=(rule,), options={rule: json.loads(options)})
        found = run_rules(load_document(target), settings).findings
        lines = [f"# JSON twin of {source.name}; lines reviewed by hand"]
        if options != "{}":
            lines.append(f"# options: {options}")
        lines += [f"{f.code} {f.line} {f.pointer}" for f in found]
        target.with_name(target.name + ".expect").write_text("\n".join(lines) + "\n")
        print(f"{target.relative_to(ROOT)}: {len(found)} finding(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
