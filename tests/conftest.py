"""Plain ``pytest`` also runs the YAML policy tests, through OpenFisca's own YAML test collector.

``openfisca test`` and ``pytest`` both load this file: it lets YAML cases expect an error (``expected_error``,
:mod:`openfisca_cn_assist.engine.yaml_tests`) and warns when the package under test is an installed copy
whose parameters differ from this checkout's (:mod:`openfisca_cn_assist.engine.checkout`).
"""

from openfisca_core.tools.test_runner import OpenFiscaPlugin

from openfisca_cn_assist import CountryTaxBenefitSystem
from openfisca_cn_assist.engine.yaml_tests import install

install()


def pytest_configure(config):
    # `openfisca test` registers its own collector; registering a second would run every case twice.
    if not any(isinstance(p, OpenFiscaPlugin) for p in config.pluginmanager.get_plugins()):
        config.pluginmanager.register(OpenFiscaPlugin(CountryTaxBenefitSystem(), options={}), "openfisca-yaml-tests")


def _installed_copy_warning():
    from pathlib import Path

    from openfisca_cn_assist.engine.checkout import installed_copy_warning

    return installed_copy_warning(Path(__file__).resolve().parent.parent)


def pytest_report_header(config):
    warning = _installed_copy_warning()
    return [f"WARNING: {warning}"] if warning else []


def pytest_terminal_summary(terminalreporter):
    warning = _installed_copy_warning()
    if warning:
        terminalreporter.write_sep("=", "installed copy, not this checkout", yellow=True)
        terminalreporter.write_line(warning)
