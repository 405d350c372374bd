"""Plain ``pytest`` also runs the YAML policy tests, through OpenFisca's own YAML test collector."""

from openfisca_core.tools.test_runner import OpenFiscaPlugin

from openfisca_cn_assist import CountryTaxBenefitSystem


def pytest_configure(config):
    # `openfisca test` registers its own collector; registering a second would run every case twice.
    if not any(isinstance(p, OpenFiscaPlugin) for p in config.pluginmanager.get_plugins()):
        config.pluginmanager.register(OpenFiscaPlugin(CountryTaxBenefitSystem(), options={}), "openfisca-yaml-tests")
