"""``cn-assist version``: the package version and the rules fingerprint, to store with an answer."""

from __future__ import annotations

import json


def version_command(args) -> int:
    from openfisca_cn_assist import CountryTaxBenefitSystem
    from openfisca_cn_assist.engine.fingerprint import rules
    from openfisca_cn_assist.engine.reform_tools import apply_reform

    system = CountryTaxBenefitSystem()
    for reform in args.reform or ():
        system = apply_reform(system, reform)
    found = rules(system)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    print(f"{found['package']} {found['version']}")
    print(f"rules fingerprint  {found['fingerprint']}")
    for part, digest in found["parts"].items():
        print(f"  {part:<16} {digest}")
    for reform in found["reforms"]:
        print(f"reform {reform['reform']}: {reform['name'] or ''}\n  fingerprint      {reform['fingerprint']}")
    if found["reforms"]:
        print(f"baseline fingerprint {found['baseline_fingerprint']}")
    return 0


def add_version(subparsers) -> None:
    ver = subparsers.add_parser(
        "version",
        help="print the package version and the rules fingerprint",
        description=(
            "Print the package version and the rules fingerprint: a hash of every parameter value, every "
            "variable's source and the register of divisions, the same on every install with the same rules. "
            "Store it with a decision to know which rules produced it. Example: cn-assist version --json"
        ),
    )
    ver.add_argument("--reform", action="append", metavar="NAME", help="a reform to apply first (repeatable, in order)")
    ver.add_argument("--json", action="store_true", help="print JSON")
    ver.set_defaults(run=version_command)
