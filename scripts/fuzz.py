"""The long fuzz run: the same property as tests/test_fuzz.py with many more mutated documents.

Usage: python scripts/fuzz.py [EXAMPLES]   (default 5000; each run is seeded differently)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str]) -> int:
    examples = argv[0] if argv else "5000"
    env = {**os.environ, "APILINT_FUZZ_EXAMPLES": examples}
    return subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/test_fuzz.py", "--hypothesis-show-statistics",
                            "--hypothesis-seed", str(int.from_bytes(os.urandom(4), "big")),
                            "-o", "addopts="], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
