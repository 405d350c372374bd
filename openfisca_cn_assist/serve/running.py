"""Running ``cn-assist serve``: the system, the app and the HTTP server (waitress) that serves it."""

from __future__ import annotations

import logging
import sys

from openfisca_cn_assist.serve.server import DEFAULT_HOST, DEFAULT_PORT, Limits, create_server_app

LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


def build_system(reform: str | None = None):
    from openfisca_cn_assist.engine.system import CountryTaxBenefitSystem

    system = CountryTaxBenefitSystem()
    if reform:
        from openfisca_cn_assist.engine.reform_tools import apply_reform

        system = apply_reform(system, reform)
    return system


def serve(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    workers: int = 2,
    timeout: int = 120,
    limits: Limits | None = None,
    reform: str | None = None,
    cors_origins=(),
    behind_proxy: bool = False,
) -> None:
    """Run the app under waitress: ``workers`` threads compute, one loop reads and writes the connections.

    waitress reads a request whole (up to the body limit, refused at once from its Content-Length or while a
    chunked body grows) before a thread takes it, so a client that stalls mid-upload holds no thread; a
    connection idle for ``timeout`` seconds is closed. gunicorn's sync workers, used before, read the body in
    the worker: two stalled uploads blocked both workers for 120 s.
    """
    import waitress

    _transfer_coding_is_a_client_error()
    limits = limits or Limits()
    if host not in LOCAL_HOSTS:
        print(
            f"warning: serving on {host}, reachable from other machines; the API has no authentication. "
            "Put it behind a proxy that has, and use --behind-proxy and --cors-origin as needed.",
            file=sys.stderr,
        )
    app = create_server_app(build_system(reform), limits, cors_origins, behind_proxy)
    logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")  # waitress says where it serves
    waitress.serve(
        app,
        host=host,
        port=port,
        threads=max(1, workers),
        channel_timeout=timeout,
        # a little above the app's own limit, so that the app answers a body just over it in JSON
        max_request_body_size=limits.max_content_length + 2**20,
        asyncore_use_poll=True,  # select() stops at 1024 open connections
        ident="openfisca-cn-assist",
    )


def _transfer_coding_is_a_client_error() -> None:
    """Answer a Transfer-Encoding other than chunked (``gzip, chunked``) with 400, not waitress' 501.

    RFC 9112 suggests 501, but to a client a 5xx says "the server failed, retry": this is a request to change.
    waitress raises the error class it finds in its parser module, so that class is replaced (once).
    """
    import waitress.parser
    from waitress.utilities import BadRequest

    class UnsupportedTransferCoding(BadRequest):
        def __init__(self, body):
            super().__init__(f"{body} Send the body as it is (with Content-Length) or chunked, not compressed.")

    if waitress.parser.ServerNotImplemented.__name__ != UnsupportedTransferCoding.__name__:
        waitress.parser.ServerNotImplemented = UnsupportedTransferCoding
