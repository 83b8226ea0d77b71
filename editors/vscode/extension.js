// Starts `apilint lsp` (stdio) for YAML, JSON and Terraform files; the server decides which of
// them hold an API (others get no diagnostics).
"use strict";
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace
    .getConfiguration("apilint")
    .get("command", ["apilint", "lsp"]);
  const server = { command, args };
  client = new LanguageClient(
    "apilint",
    "apilint",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "json" },
        { scheme: "file", language: "terraform" },
      ],
    },
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
