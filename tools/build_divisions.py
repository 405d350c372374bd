"""Generate ``openfisca_cn_assist/engine/divisions.csv``, the national register of divisions.

Source: yescallop/areacodes (https://github.com/yescallop/areacodes), 中华人民共和国县级以上行政区划代码
1981–2024, compiled from the Ministry of Civil Affairs' code lists; licence CC0 1.0. The script reads the
yearly lists ``data/YYYY.txt`` (code and name in force on 31 December of each year) and ``result.csv``
(each record's first and last year and its successor codes) from a checkout or a bare git mirror, and
writes one row per record (a code with one name over one span of years):

    code, name_zh, pinyin, level, start_year, end_year, parents, successors

* ``start_year``: first year the record is in the lists; ``end_year``: first year it is no longer in them
  (empty: still in force in the last list). How years become dates is the loader's business
  (openfisca_cn_assist/engine/divisions.py, docs/jurisdictions.md).
* ``parents``: ``YEAR:CODE`` pairs, the parent record in force from that year's list on, by the source's own
  rule (diff-spec.md): a county's parent is the prefecture whose code shares its first four digits, else the
  province sharing its first two; a prefecture's parent is its province.
* ``successors``: the source's 新代码 for a retired or changed record (the codes that took over its area).
* ``pinyin``: generated with pypinyin (toneless, lower case, no spaces), for search only.

Usage (reproducible: the same source commit gives the same file)::

    python tools/build_divisions.py /path/to/areacodes            # a checkout
    python tools/build_divisions.py /work/.mirror/yescallop+areacodes/repo   # a bare mirror (git show)

Requires pypinyin (``pip install pypinyin``), which the package itself does not need.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "openfisca_cn_assist" / "engine" / "divisions.csv"
SOURCE_NOTE = OUTPUT.with_name("divisions_source.yaml")
LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
FIELDS = ("code", "name_zh", "pinyin", "level", "start_year", "end_year", "parents", "successors")


class Source:
    """Files of an areacodes checkout or bare mirror, read the same way."""

    def __init__(self, path: Path):
        self.path = path
        self.bare = not (path / "result.csv").exists()

    def read(self, name: str) -> str:
        if not self.bare:
            return (self.path / name).read_text(encoding="utf-8-sig")
        text = subprocess.run(
            ["git", "--git-dir", str(self.path), "show", f"HEAD:{name}"], check=True, capture_output=True
        ).stdout
        return text.decode("utf-8-sig")

    def names(self, folder: str) -> list[str]:
        if not self.bare:
            return sorted(p.name for p in (self.path / folder).iterdir())
        listing = subprocess.run(
            ["git", "--git-dir", str(self.path), "ls-tree", "--name-only", f"HEAD:{folder}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return sorted(listing.split())

    def commit(self) -> str:
        git = ["git", "--git-dir", str(self.path if self.bare else self.path / ".git"), "rev-parse", "HEAD"]
        return subprocess.run(git, check=True, capture_output=True, text=True).stdout.strip()


def yearly_lists(source: Source) -> dict[int, dict[str, str]]:
    lists = {}
    for name in source.names("data"):
        match = re.fullmatch(r"(\d{4})\.txt", name)
        if match:
            year = int(match.group(1))
            lines = (line.split(maxsplit=1) for line in source.read(f"data/{name}").splitlines() if line.strip())
            lists[year] = {code: title.strip() for code, title in lines}
    return lists


def parent_code(code: str, codes_in_force: dict[str, str]) -> str | None:
    if code.endswith("0000"):
        return None
    prefecture = code[:4] + "00"
    if not code.endswith("00") and prefecture in codes_in_force:
        return prefecture
    return code[:2] + "0000"


def parents_over_time(code: str, start: int, end: int | None, lists: dict[int, dict[str, str]]) -> str:
    """``YEAR:CODE`` at each year from which the parent differs from the year before."""
    runs, previous = [], None
    for year in range(start, (end or max(lists) + 1)):
        if year not in lists:
            continue
        parent = parent_code(code, lists[year])
        if parent is not None and parent != previous:
            runs.append(f"{year}:{parent}")
        previous = parent
    return ";".join(runs)


def pinyin_of(name: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(name)).lower()


def build_rows(source: Source) -> list[dict]:
    lists = yearly_lists(source)
    rows = []
    for record in csv.DictReader(io.StringIO(source.read("result.csv"))):
        start = int(record["启用时间"])
        end = int(record["变更/弃用时间"]) if record["变更/弃用时间"] else None
        successors = ""
        if record["状态"] != "在用":  # for a record in force, 新代码 lists areas transferred, not successors
            successors = ";".join(re.sub(r"\[\d{4}\]", "", c) for c in record["新代码"].split(";") if c)
        rows.append(
            {
                "code": record["代码"],
                "name_zh": record["名称"],
                "pinyin": pinyin_of(record["名称"]),
                "level": LEVELS[record["级别"]],
                "start_year": start,
                "end_year": "" if end is None else end,
                "parents": parents_over_time(record["代码"], start, end, lists),
                "successors": successors,
            }
        )
    rows.sort(key=lambda r: (r["code"], r["start_year"]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("areacodes", type=Path, help="checkout or bare git mirror of yescallop/areacodes")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    source = Source(args.areacodes)
    rows = build_rows(source)
    with open(args.output, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    SOURCE_NOTE.write_text(
        "# Written by tools/build_divisions.py with divisions.csv; do not edit either by hand.\n"
        "source: https://github.com/yescallop/areacodes\n"
        f"commit: {source.commit()}\n"
        "licence: CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/)\n"
        "title: 中华人民共和国县级以上行政区划代码 1981 年至今的历史数据及新旧代码间的对应关系\n"
        "original_source: 民政部 县级以上行政区划代码 and 县级以上行政区划变更情况\n"
        f"years: {min(yearly_lists(source))}-{max(yearly_lists(source))}\n"
        f"records: {len(rows)}\n",
        encoding="utf-8",
    )
    print(f"wrote {len(rows)} records to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
