#!/usr/bin/env bash
# Builds the VS Code extension (editors/vscode, or a copy of it named as $1) into apilint.vsix
# with @vscode/vsce, from the locked dependencies. CI runs it through tests/test_vsix.py.
set -euo pipefail
cd "${1:-$(dirname "$0")/../editors/vscode}"
npm ci --no-audit --no-fund --silent
npx --no-install vsce package --out apilint.vsix
