"""`apilint lsp` speed: time from a change to its published diagnostics, and the server's memory
with 20 open files. Talks to the server as an editor does (pytest-lsp's client, stdio).

    python benchmarks/lsp.py [--runs 5] [--perfcorpus ../shared/perfcorpus]

The change-to-diagnostics time includes the server's debounce (apilint.lsp.server.DEBOUNCE),
which is printed beside it: the lint itself is the rest.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import client_capabilities, make_test_lsp_client

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from generate_export import generate  # noqa: E402

from apilint.lsp.server import DEBOUNCE  # noqa: E402


async def _published(client: object, send: object) -> float:
    waiting = asyncio.ensure_future(
        client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)  # type: ignore[attr-defined]
    )
    await asyncio.sleep(0)
    started = time.perf_counter()
    send()  # type: ignore[operator]
    await asyncio.wait_for(waiting, timeout=300)
    return time.perf_counter() - started


def _open(client: object, uri: str, text: str, language: str) -> None:
    client.text_document_did_open(  # type: ignore[attr-defined]
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id=language, version=1, text=text
            )
        )
    )


def _change(client: object, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(  # type: ignore[attr-defined]
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def _start(root: Path) -> object:
    client = make_test_lsp_client()
    # The server registers its configuration watchers; this client accepts and ignores that.
    client.feature(types.CLIENT_REGISTER_CAPABILITY)(lambda params: None)
    await client.start_io(sys.executable, "-m", "apilint", "lsp")
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), root_uri=root.as_uri()
        )
    )
    return client


async def change_to_diagnostics(path: Path, runs: int) -> tuple[float, float]:
    """(first lint after open, median change-to-diagnostics) in seconds."""
    client = await _start(path.parent)
    try:
        text = path.read_text()
        language = "json" if path.suffix == ".json" else "yaml"
        uri = path.as_uri()
        first = await _published(client, lambda: _open(client, uri, text, language))
        times = []
        for version in range(2, runs + 2):
            # An edit a user makes: a description changes (JSON stays JSON, YAML stays YAML).
            edited = text.replace('"version"', f'"x-edit-{version}": 1, "version"', 1)
            if language == "yaml":
                edited = text.replace("\ninfo:", f"\nx-edit-{version}: 1\ninfo:", 1)
            times.append(
                await _published(client, lambda e=edited, v=version: _change(client, uri, v, e))
            )
        await client.shutdown_session()  # type: ignore[attr-defined]
        return first, statistics.median(times)
    finally:
        await client.stop()  # type: ignore[attr-defined]


async def memory_with_open_files(files: list[Path]) -> float:
    """Resident MB of the server holding `files` open (each linted once)."""
    client = await _start(files[0].parent)
    try:
        for path in files:
            await _published(
                client, lambda p=path: _open(client, p.as_uri(), p.read_text(), "yaml")
            )
        pid = client._server.pid  # type: ignore[attr-defined]
        status = Path(f"/proc/{pid}/status").read_text()
        rss_kb = next(
            int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
        )
        await client.shutdown_session()  # type: ignore[attr-defined]
        return rss_kb / 1024
    finally:
        await client.stop()  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--perfcorpus", default=str(ROOT.parent / "shared" / "perfcorpus"))
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="apilint-lsp-bench-"))
    export = work / "generated-export.yaml"
    export.write_text(generate())  # 300 resources
    inputs = [export]
    corpus = Path(args.perfcorpus)
    for name in ("small.json", "large-stripe.json"):
        if (corpus / name).is_file():
            copy = work / name
            copy.write_bytes((corpus / name).read_bytes())
            inputs.insert(0 if name == "small.json" else len(inputs), copy)
    print(f"debounce {DEBOUNCE:.2f} s (included in change-to-diagnostics)")
    print(f"{'input':28} {'size':>9} {'open->diag':>11} {'change->diag':>13}")
    for path in inputs:
        first, change = asyncio.run(change_to_diagnostics(path, args.runs))
        print(f"{path.name:28} {path.stat().st_size / 1024:7.0f}KB {first:10.3f}s {change:12.3f}s")
    files = []
    for i in range(20):
        copy = work / f"open-{i:02d}.yaml"
        copy.write_text(export.read_text() if i == 0 else generate(5 + i))
        files.append(copy)
    print(f"server RSS with 20 open files: {asyncio.run(memory_with_open_files(files)):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
