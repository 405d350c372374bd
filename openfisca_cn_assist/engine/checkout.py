"""Is the package under test this checkout? A test writer who ran ``pip install .`` and then edits ``parameters/``
gets the installed copy's values: say so instead of letting the old value pass or fail unexplained."""

from __future__ import annotations

import hashlib
from pathlib import Path

from openfisca_cn_assist.engine.paths import PACKAGE_DIR, PARAMETERS_DIR


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha1(path.read_bytes()).hexdigest()
        for path in folder.rglob("*.yaml")
    }


def parameters_differ(checkout: str | Path) -> list[str]:
    """The parameter files (relative paths) in which ``checkout``'s ``parameters/`` and the imported package's differ.

    Empty when the package is imported from the checkout (an editable install) or the checkout has no
    ``parameters/`` folder.
    """
    theirs = Path(checkout).resolve() / "parameters"
    if not theirs.is_dir() or theirs == PARAMETERS_DIR.resolve():
        return []
    ours, checked = _digests(PARAMETERS_DIR), _digests(theirs)
    return sorted(name for name in ours.keys() | checked.keys() if ours.get(name) != checked.get(name))


def installed_copy_warning(checkout: str | Path) -> str | None:
    """A hint for the test report, or None when the tests see the checkout's parameters."""
    differ = parameters_differ(checkout)
    if not differ:
        return None
    shown = ", ".join(differ[:5]) + (f" and {len(differ) - 5} more" if len(differ) > 5 else "")
    return (
        f"openfisca_cn_assist is imported from {PACKAGE_DIR}, an installed copy whose parameters differ from this "
        f"checkout's ({Path(checkout).resolve()}): {shown}. The tests see the installed values. Install the checkout "
        "in editable mode (pip install -e .) so that edits to parameters/ are what `openfisca test` sees."
    )
