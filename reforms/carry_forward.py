"""Opt-in: use values past their horizon, the last date their source supports them.

By default a value past its horizon is not used: the computation stops with an error that names the
parameter, the jurisdiction, the value and its horizon. With this reform the last value is carried
forward instead, and every result lists the outputs that rest on such values (``carried_forward`` in
results, batch answers and impact reports; a line in explanations). It changes no value and no formula.

Use: ``carry_forward=True`` in Python (``run``, ``compare``, ``calculate``), ``--carry-forward`` on the
CLI, ``"carry_forward": true`` in HTTP requests, ``reforms: [openfisca_cn_assist.reforms.carry_forward]``
in a YAML test, ``openfisca serve --reforms openfisca_cn_assist.reforms.carry_forward``. Stacked with
other reforms it can come first or last.
"""

from openfisca_cn_assist.engine.reform_tools import CountryReform


class carry_forward(CountryReform):
    name = "Carry values forward past their horizon (results list what rests on them)"
    carry_forward_past_horizons = True

    def apply(self):
        pass
