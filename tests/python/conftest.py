import pytest

from openfisca_cn_assist import CountryTaxBenefitSystem


@pytest.fixture(scope="session")
def system():
    return CountryTaxBenefitSystem()
