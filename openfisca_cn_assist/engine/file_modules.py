"""Import a Python file as a named module (reform files, the reforms folder of a checkout)."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def import_file(name: str, path: Path, package_dir: Path | None = None) -> ModuleType:
    """Execute ``path`` as module ``name`` (a package when ``package_dir`` is given); undone if it fails."""
    locations = [str(package_dir)] if package_dir is not None else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=locations)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
