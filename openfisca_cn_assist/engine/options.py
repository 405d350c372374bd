"""Opt-ins that are reforms changing no value or formula (carry values forward past their horizon, read a retired
division code as its successor): whether a system has one, and the system with one, built once per system.

A flag is a class attribute of its reform (``carry_forward_past_horizons``, ``map_retired_codes``); a reform
stacked on top of an opted-in system keeps the opt-in, so the check walks the chain of baselines.
"""

from __future__ import annotations

import weakref

_BUILT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # system → {reform name: system with it}


def has_option(system, flag: str) -> bool:
    """Whether ``system`` or a system it reforms carries ``flag``."""
    while system is not None:
        if getattr(system, flag, False):
            return True
        system = getattr(system, "baseline", None)
    return False


def with_option(system, reform: str, flag: str):
    """``system`` with the reform ``reform`` (which sets ``flag``) applied, once per system; itself if it has it."""
    if has_option(system, flag):
        return system
    built = _BUILT.setdefault(system, {})
    if reform not in built:
        from openfisca_cn_assist.engine.reform_tools import apply_reform

        built[reform] = apply_reform(system, reform)
    return built[reform]
