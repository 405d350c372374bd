"""Plain ``pytest`` also runs the YAML policy tests, through OpenFisca's own YAML test collector."""

from openfisca_core.tools.test_runner import OpenFiscaPlugin

from openfisca_cn_assist import CountryTaxBenefitSystem


def pytest_configure(config):
    config.pluginmanager.register(OpenFiscaPlugin(CountryTaxBenefitSystem(), options={}), "openfisca-yaml-tests")
