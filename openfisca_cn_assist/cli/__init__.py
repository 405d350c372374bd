"""The ``cn-assist`` command."""

from openfisca_cn_assist.cli.main import main

__all__ = ["main"]
