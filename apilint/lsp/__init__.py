"""`apilint lsp`: findings as you type, over the Language Server Protocol (stdio).

The server lints what the editor holds, not what is on disk: each open buffer stands for its
file (`apilint.document.loader.PROVIDED`), so `$ref`s between open files see the unsaved text and
the configuration above the file applies as it does on the command line. It never touches the
network: remote `$ref`s and AWS look-ups stay off, as in `apilint lint`.
"""
