"""``cn-assist mcp``: serve the tools for AI assistants over the Model Context Protocol, on stdio (docs/mcp.md)."""

from __future__ import annotations

import sys


def mcp_command(args) -> int:
    try:
        import mcp.server.mcpserver  # noqa: F401  (the optional extra: say how to install it, not a traceback)
    except ImportError:
        from openfisca_cn_assist.serve.mcp.assistant import INSTALL_HINT

        print(f"cn-assist: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from openfisca_cn_assist.serve.mcp.server import run_stdio

    run_stdio()
    return 0


def add_mcp(subparsers) -> None:
    mcp = subparsers.add_parser(
        "mcp",
        help="serve tools for AI assistants over the Model Context Protocol (stdio; needs the [mcp] extra)",
        description=(
            "Serve the Model Context Protocol on stdin/stdout for an AI assistant that starts this command: tools "
            "to calculate a household (calculate_household), explain it (explain_household), find a division "
            "(lookup_jurisdiction) and its values at a date (jurisdiction_values), and compare a reform on a small "
            "caseload (compare_reform), with the same checks as the Web API. Install with "
            "pip install 'openfisca-cn-assist[mcp]'; register as the command `cn-assist mcp` (docs/mcp.md). "
            "Example: cn-assist mcp"
        ),
    )
    mcp.set_defaults(run=mcp_command)
