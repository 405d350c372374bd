"""Reforms used only by YAML tests, to give a parameter a value that no jurisdiction has.

A parameter whose only value is 1 or true cannot tell a formula that reads it from one that ignores
it: a YAML case gives it another value here and checks that the result follows. The YAML tests name
these classes as ``reforms: yaml_test_reforms.<name>``; pytest puts this folder on ``sys.path`` when
it loads ``tests/conftest.py`` (``openfisca test`` runs through pytest too). Not scenarios: they are
not in ``reforms/`` and no one should cite them.
"""

from pathlib import Path

from openfisca_cn_assist.engine.reform_spec import Change, ReformSpec
from openfisca_cn_assist.engine.reform_tools import ParametricReform


def _reform(name: str, label: str, *changes: Change) -> type[ParametricReform]:
    spec = ReformSpec(
        name=name,
        label=label,
        description=None,
        reference=None,
        file=Path(__file__),
        display=f"tests/{Path(__file__).name}",
        changes=changes,
    )
    return type(name, (ParametricReform,), {"spec": spec, "name": label, "__module__": __name__, "__qualname__": name})


gradual_exit_half_share = _reform(
    "gradual_exit_half_share",
    "Test only: 渐退 pays half of the last regular benefit",
    Change(number=1, parameter="dibao.gradual_exit_benefit_share", jurisdictions="all", start="2021-01-01", value=0.5),
)

de_facto_unsupported_not_at_scattered_standard = _reform(
    "de_facto_unsupported_not_at_scattered_standard",
    "Test only: 贺州 does not pay de facto unsupported children at the scattered-orphan standard",
    Change(
        number=1,
        parameter="orphan.de_facto_unsupported_at_scattered_standard",
        jurisdictions=("hezhou",),
        start="2020-09-01",
        value=False,
    ),
)
