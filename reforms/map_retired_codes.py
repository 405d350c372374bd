"""Opt-in: a retired division code is read as its single successor.

By default a household whose code was not in force at the date computed is refused with an error naming the
code, its validity and its successors (610721 南郑县 in 2018 → 610703 南郑区). With this reform a retired code
with exactly one successor (followed step by step, 532821 → 532801) is read as that successor, and the
results list every mapping (``mapped_codes``). A code with several successors is still refused: which one
applies depends on where in the old area the household lives. It changes no value and no formula.

Use: ``map_retired_codes=True`` in Python (``run``, ``compare``, ``calculate``), ``--map-retired-codes`` on
the CLI, ``"map_retired_codes": true`` in HTTP requests, ``reforms: [openfisca_cn_assist.reforms.map_retired_codes]``
in a YAML test.
"""

from openfisca_cn_assist.engine.reform_tools import CountryReform


class map_retired_codes(CountryReform):
    name = "Read a retired division code as its single successor (results list the mappings)"
    map_retired_codes = True

    def apply(self):
        pass
