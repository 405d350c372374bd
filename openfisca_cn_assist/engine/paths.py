"""Where the parameter, variable and reform folders are, installed or in a source checkout."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # this file is in engine/


def data_dir(name: str) -> Path:
    """The wheel places the top-level folders inside the package; a source checkout has them beside it."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the '{name}' folder next to or inside {PACKAGE_DIR}")


PARAMETERS_DIR = data_dir("parameters")
VARIABLES_DIR = data_dir("variables")
REFORMS_DIR = data_dir("reforms")
CASELOADS_DIR = PACKAGE_DIR / "caseload" / "caseloads"


def builtin_caseload_names() -> list[str]:
    """Names of the caseloads shipped in ``openfisca_cn_assist/caseload/caseloads/`` (all synthetic), without
    importing the caseload package (pandas): the CLI's parser lists them."""
    return sorted(p.name[: -len("_persons.parquet")] for p in CASELOADS_DIR.glob("*_persons.parquet"))
