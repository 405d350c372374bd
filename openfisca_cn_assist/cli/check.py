"""``cn-assist check``: the parameters' metadata, and whether the package imported is this checkout's."""

from __future__ import annotations


def check_command(args) -> int:
    """1 when a parameter lacks its metadata or the package imported is a copy whose parameters differ."""
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.engine.checkout import installed_copy_warning
    from openfisca_cn_assist.engine.provenance import metadata_problems

    problems = metadata_problems(CountryTaxBenefitSystem().parameters)
    for problem in problems:
        print(f"  - {problem}")
    print(f"parameter metadata: {len(problems)} problem(s)" if problems else "parameter metadata: complete")
    warning = installed_copy_warning(args.checkout)
    print(f"install: {warning}" if warning else "install: the package imported has this checkout's parameters")
    return 1 if problems or warning else 0
