"""``cn-assist mcp``: this package's tools for AI assistants over the Model Context Protocol (docs/mcp.md).

:mod:`.assistant` holds the tools' logic and needs no MCP SDK; :mod:`.server` wires it to the SDK (the ``[mcp]``
extra) and is imported only by ``cn-assist mcp``.
"""
