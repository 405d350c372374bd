"""Caches that live exactly as long as the OpenFisca object they describe.

Some things are worth computing once per simulation (the jurisdiction index of every row, the months a
caseload covers, the 渐退 state carried from month to month) or once per system or resolved parameter
(the resolver, tables derived from a dated segment). Keeping them in a module-level dict would keep every
simulation alive and mix up a reform's values with its baseline's; keeping them on the object ties their
lifetime to it, and a reformed or refreshed system, having new objects, gets new caches.

They go in the object's own ``__dict__``: a :class:`openfisca_core.reforms.Reform` forwards unknown
attributes to its baseline, so ``getattr`` would hand a reform its baseline's cache. A copy of the object's
``__dict__`` (``Simulation.clone``, ``TaxBenefitSystem.clone``) does not share its caches either: the copy
gets empty ones on first use.
"""

from __future__ import annotations

import weakref

_PREFIX = "_cn_cache_"


class _Cache(dict):
    """A dict that knows its owner, so that a copied ``__dict__`` is not mistaken for the copy's own cache."""

    __slots__ = ("owner",)

    def __reduce__(self):  # a pickled object gets empty caches where it is unpickled (a weakref does not pickle)
        return dict, ()


def cache_on(obj, name: str) -> dict:
    """The dict named ``name`` stored on ``obj``, created empty on first use; the same dict on every later call."""
    attr = _PREFIX + name
    cache = obj.__dict__.get(attr)
    if cache is None or not isinstance(cache, _Cache) or cache.owner() is not obj:
        cache = _Cache()
        cache.owner = weakref.ref(obj)
        obj.__dict__[attr] = cache
    return cache
