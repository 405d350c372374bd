"""Build the Chinese font shipped in openfisca_cn_assist/analysis/fonts/ (a build step, not shipped in the wheel).

Charts must render Chinese on a machine that has only what pip installs, so the package carries a
subset of Noto Sans CJK SC (SIL OFL 1.1), renamed "CN Assist Sans SC" so it never collides with a
system copy of the full font. The subset holds printable ASCII, Latin-1, common (full-width)
punctuation and symbols, the 3755 GB2312 level-1 hanzi and every non-ASCII character used in the
package's registry, labels, descriptions and messages (勐, 傣, 峨, 彝 …).

Needs fontTools (build only; the package does not need it at run time) and the full font, e.g. from
Debian's fonts-noto-cjk:

    apt-get install -y fonts-noto-cjk
    /work/venv/bin/pip install fonttools
    /work/venv/bin/python tools/subset_font.py

Re-run it when a label gains a character outside the subset; tests/python/test_charts.py fails on
any glyph matplotlib reports missing from the shipped font.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
SOURCE_FACE = "Noto Sans CJK SC"
OUTPUT = ROOT / "openfisca_cn_assist" / "analysis" / "fonts" / "CNAssistSansSC-Regular.otf"
FAMILY = "CN Assist Sans SC"
POSTSCRIPT_NAME = "CNAssistSansSC-Regular"
MAX_BYTES = 3 * 1024 * 1024

# Files whose characters the charts may draw: the registries (jurisdiction and division names), variable labels,
# parameter descriptions, reforms, and the package's own strings (chart titles, notes, messages).
SCANNED = [
    "openfisca_cn_assist/**/*.py",
    "openfisca_cn_assist/**/*.yaml",
    "openfisca_cn_assist/engine/divisions.csv",  # every division name in the national register
    "variables/**/*.py",
    "parameters/**/*.yaml",
    "reforms/**/*.py",
    "reforms/**/*.yaml",
]

# Punctuation and symbols a chart or a title may use, beyond what the scan finds.
EXTRA = "，。、：；！？（）《》〈〉「」『』【】〔〕“”‘’—–·…/％～×÷±−≈≤≥→←↑↓°‰€¥•・　"
RANGES = [
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement (·, ×, é …)
    (0x2010, 0x2027),  # general punctuation: dashes, quotes, bullets, ellipsis
    (0x2030, 0x203B),  # per mille, primes, guillemets, reference mark
    (0x2190, 0x2193),  # arrows
    (0x3000, 0x301F),  # CJK symbols and punctuation
    (0xFF01, 0xFF5E),  # full-width forms (ＡＢＣ，１２３％ …)
]


def gb2312_level1() -> set[str]:
    """The 3755 level-1 hanzi: GB2312 rows 16–55 (bytes 0xB0A1–0xD7F9)."""
    chars = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            if high == 0xD7 and low > 0xF9:
                break
            chars.add(bytes([high, low]).decode("gb2312"))
    assert len(chars) == 3755, len(chars)
    return chars


def scanned_characters(root: Path) -> set[str]:
    chars = set()
    for pattern in SCANNED:
        for path in sorted(root.glob(pattern)):
            chars.update(ch for ch in path.read_text(encoding="utf-8") if ord(ch) > 0x7E)
    # Control and format characters (BOM, zero-width joiners) have no glyph to draw.
    return {ch for ch in chars if unicodedata.category(ch)[0] not in "CZ" or ch == "\u3000"}


def wanted_characters(root: Path) -> tuple[set[str], set[str]]:
    chars = {chr(c) for low, high in RANGES for c in range(low, high + 1)}
    chars |= set(EXTRA) | gb2312_level1()
    scanned = scanned_characters(root)
    return chars | scanned, scanned


def face_number(source: Path, face: str) -> int:
    if source.suffix.lower() not in (".ttc", ".otc"):
        return -1
    collection = TTCollection(str(source), lazy=True)
    for number, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == face:
            return number
    raise SystemExit(f"{source} has no face named {face!r}")


def rename(font: TTFont, source_version: str) -> None:
    """A modified OFL font gets its own name (and no system font of the same name shadows it)."""
    name = font["name"]
    for record_id in (16, 17, 21, 22):  # typographic / WWS family names would keep the old name
        name.removeNames(nameID=record_id)
    description = (
        f"Subset of Noto Sans CJK SC {source_version} for openfisca-cn-assist charts "
        "(ASCII, punctuation, GB2312 level-1 hanzi and the package's own characters); "
        "built by tools/subset_font.py. Licensed under the SIL Open Font License 1.1."
    )
    for record_id, value in {
        1: FAMILY,
        2: "Regular",
        3: f"{source_version};{POSTSCRIPT_NAME};subset",
        4: f"{FAMILY} Regular",
        6: POSTSCRIPT_NAME,
        10: description,
    }.items():
        name.setName(value, record_id, 3, 1, 0x409)
    # Keep only the Windows English records: localized and Mac records would keep the old name.
    name.names = [r for r in name.names if (r.platformID, r.langID) == (3, 0x409)]
    if "CFF " in font:
        cff = font["CFF "].cff
        old = cff.fontNames[0]
        top = cff[old]
        cff.fontNames = [POSTSCRIPT_NAME]
        cff.topDictIndex[0] = top
        top.FamilyName = FAMILY
        top.FullName = f"{FAMILY} Regular"
        if hasattr(top, "FontName"):
            top.FontName = POSTSCRIPT_NAME


def build(source: Path, output: Path, hinting: bool = True) -> None:
    number = face_number(source, SOURCE_FACE)
    font = TTFont(str(source), fontNumber=number, recalcTimestamp=False, lazy=False)
    source_version = re.sub(r"^Version\s+", "", font["name"].getDebugName(5) or "").split(";")[0]
    cmap = font.getBestCmap()

    chars, scanned = wanted_characters(ROOT)
    missing = sorted(ch for ch in chars if ord(ch) not in cmap)
    # A hanzi the package uses must be drawable; a stray symbol in a docstring (10⁶) need not be.
    missing_hanzi = [ch for ch in missing if ch in scanned and unicodedata.category(ch) == "Lo"]
    if missing_hanzi:
        raise SystemExit(f"the source font lacks characters the package uses: {''.join(missing_hanzi)}")

    options = subset.Options()
    options.layout_features = ["kern", "liga", "locl", "ccmp", "pwid", "fwid", "halt", "palt"]
    options.hinting = hinting
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    # Vertical metrics only serve vertical typesetting, which charts never do.
    options.drop_tables += ["VORG", "vhea", "vmtx"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(ch) for ch in chars if ord(ch) in cmap])
    subsetter.subset(font)
    rename(font, source_version)

    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(output))
    size = output.stat().st_size
    covered = len(font.getBestCmap())
    print(
        f"{output}: {size:,} bytes, {covered} characters, from {source} face {number} "
        f"({SOURCE_FACE} {source_version}); {len(scanned)} characters found in the package"
    )
    if missing:
        print(f"not in the source font (skipped): {''.join(missing)!r}")
    if size > MAX_BYTES:
        raise SystemExit(f"{output} is {size:,} bytes, over the {MAX_BYTES:,}-byte budget")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", type=Path, default=DEFAULT_SOURCE, help="NotoSansCJK-Regular.ttc or NotoSansCJKsc-Regular.otf"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--no-hinting",
        dest="hinting",
        action="store_false",
        help="drop the CFF hints (1.5 MB instead of 1.8 MB; small text renders a little softer)",
    )
    args = parser.parse_args(argv)
    build(args.source, args.output.resolve(), args.hinting)
    return 0


if __name__ == "__main__":
    sys.exit(main())
