"""openfisca-cn-assist: China's social assistance (社会救助) as an OpenFisca country package."""

from .system import CountryTaxBenefitSystem

__all__ = ["CountryTaxBenefitSystem"]
