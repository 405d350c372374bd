"""openfisca-cn-assist: China's social assistance (社会救助) as an OpenFisca country package."""

from pathlib import Path

from openfisca_cn_assist import _moved
from openfisca_cn_assist.engine.file_modules import import_file
from openfisca_cn_assist.engine.system import CountryTaxBenefitSystem

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
    globals()["reforms"] = import_file(f"{__name__}.reforms", beside, package_dir=beside.parent)


_attach_source_reforms()
_moved.install(__name__)
