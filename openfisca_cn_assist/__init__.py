"""openfisca-cn-assist: China's social assistance (社会救助) as an OpenFisca country package."""

import importlib.util
import sys
from pathlib import Path

from .system import CountryTaxBenefitSystem

__all__ = ["CountryTaxBenefitSystem"]


def _attach_source_reforms() -> None:
    """Make ``openfisca_cn_assist.reforms`` importable from a source checkout or an editable install.

    The wheel installs the top-level ``reforms/`` folder inside the package, so there it is an
    ordinary subpackage. In a checkout the folder sits beside the package, and openfisca's
    ``--reforms openfisca_cn_assist.reforms.<name>`` (and the YAML tests' ``reforms:`` key) could
    not import it. Registering that one folder as the subpackage, rather than appending the whole
    repository root to ``__path__``, keeps ``tests``, ``benchmarks`` and the rest out of the package.
    """
    package_dir = Path(__file__).resolve().parent
    beside = package_dir.parent / "reforms" / "__init__.py"
    if (package_dir / "reforms").is_dir() or not beside.is_file():
        return
    name = f"{__name__}.reforms"
    spec = importlib.util.spec_from_file_location(name, beside, submodule_search_locations=[str(beside.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    globals()["reforms"] = module


_attach_source_reforms()
