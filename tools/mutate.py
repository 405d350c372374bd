"""Mutation testing of the rules: change one operator or constant of a formula, run the YAML tests.

A mutant is *killed* when a YAML case that passes on the unchanged rules fails (or errors, or times
out) on the mutant; it *survives* when every such case still passes. A surviving mutant is a change
of the rule that no test notices: either a missing test, or an equivalent mutant (a change that
cannot alter any result, e.g. in a shortcut that only skips work). Not run in CI: it takes minutes.

    python tools/mutate.py                                  # every rule file, full YAML suite
    python tools/mutate.py --files 'variables/dibao/*.py' --max 40 --seed 1
    python tools/mutate.py --related --jobs 2               # only the YAML files that name an affected variable
    python tools/mutate.py --list                           # the mutants, without running anything

By default the checkout is copied to a scratch folder for each job (without .git, .venv and caches)
and mutants are written there, so the checkout itself is never touched, even by a run that is
killed. ``--in-place`` mutates the checkout's own files: then a file with uncommitted changes is
refused (git could not restore it if the run died), a backup sits beside each mutated file while it
is mutated, and the original bytes and modification time are always put back (try/finally, also on
SIGTERM); ``--restore`` puts back the backups a killed run left behind.

Mutations (inside functions of ``variables/**.py``; docstrings, messages and ``raise`` statements
are left alone): ``<`` ↔ ``<=`` and the negated comparison, ``==`` ↔ ``!=``, ``&`` ↔ ``|``,
``and`` ↔ ``or``, ``+`` ↔ ``-``, ``*`` ↔ ``/``, one side of ``&``, ``|`` or ``*`` left out, a number ± 1, ``True`` ↔ ``False``, a negation
(``~``, ``not``, unary ``-``) removed, ``np.maximum`` ↔ ``np.minimum`` (and ``max``/``min``,
``any``/``all``), and the two branches of ``np.where`` swapped.
"""

from __future__ import annotations

import argparse
import ast
import concurrent.futures
import fnmatch
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BACKUP_SUFFIX = ".mutate-backup"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "test-artifacts")

_COMPARE = {
    ast.Lt: (ast.LtE, ast.GtE),
    ast.LtE: (ast.Lt, ast.Gt),
    ast.Gt: (ast.GtE, ast.LtE),
    ast.GtE: (ast.Gt, ast.Lt),
    ast.Eq: (ast.NotEq,),
    ast.NotEq: (ast.Eq,),
    ast.Is: (ast.IsNot,),
    ast.IsNot: (ast.Is,),
    ast.In: (ast.NotIn,),
    ast.NotIn: (ast.In,),
}
_BINOP = {
    ast.BitAnd: ast.BitOr,
    ast.BitOr: ast.BitAnd,
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
}
_SYMBOL = {
    ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is",
    ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.BitAnd: "&", ast.BitOr: "|", ast.Add: "+",
    ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.And: "and", ast.Or: "or", ast.Invert: "~", ast.Not: "not ",
    ast.USub: "-",
}  # fmt: skip
_DROPPABLE = (ast.BitAnd, ast.BitOr, ast.Mult)
_SWAP_NAMES = {"maximum": "minimum", "minimum": "maximum", "max": "min", "min": "max", "any": "all", "all": "any"}


@dataclass(frozen=True)
class Mutant:
    file: str  # relative to the root, with /
    index: int  # position among the file's mutation points (stable for a given source)
    variant: int  # which replacement at that point
    line: int
    description: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


# ------------------------------------------------------------------------------------------ mutations


def _skipped_nodes(tree: ast.AST) -> set[int]:
    """ids of nodes never mutated: docstrings, f-strings, raise statements and what they contain."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Raise, ast.JoinedStr)):
            skipped.update(id(child) for child in ast.walk(node))
        if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.update(id(child) for child in ast.walk(first))
    return skipped


def _in_functions(tree: ast.AST) -> list[ast.AST]:
    """Every node inside a function body, in a stable order."""
    nodes: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for statement in node.body:
                nodes.extend(ast.walk(statement))
    unique, seen = [], set()
    for node in nodes:  # nested functions would be walked twice
        if id(node) not in seen:
            seen.add(id(node))
            unique.append(node)
    return unique


def _options(node: ast.AST) -> list[tuple[str, object]]:
    """(description, replacement) pairs for ``node``; a replacement is applied by :func:`_apply`."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        op = type(node.ops[0])
        return [(f"{_SYMBOL[op]} → {_SYMBOL[new]}", ("compare", new)) for new in _COMPARE.get(op, ())]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOP:
        op, new = type(node.op), _BINOP[type(node.op)]
        options = [(f"{_SYMBOL[op]} → {_SYMBOL[new]}", ("binop", new))]
        if op in _DROPPABLE:  # a condition or a factor left out: what a rule that ignores it would compute
            options += [(f"keep only the {side} of {_SYMBOL[op]}", ("keep", side)) for side in ("left", "right")]
        return options
    if isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        return [(f"{_SYMBOL[type(node.op)]} → {_SYMBOL[new]}", ("boolop", new))]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Invert, ast.Not, ast.USub)):
        return [(f"remove {_SYMBOL[type(node.op)].strip()}", ("unwrap", None))]
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return [(f"{node.value} → {not node.value}", ("constant", not node.value))]
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return [(f"{node.value!r} → {node.value + d!r}", ("constant", node.value + d)) for d in (1, -1)]
    if isinstance(node, ast.Call):
        options = []
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name in _SWAP_NAMES:
            options.append((f"{name} → {_SWAP_NAMES[name]}", ("rename", _SWAP_NAMES[name])))
        if name == "where" and len(node.args) == 3:
            options.append(("np.where branches swapped", ("swap_where", None)))
        return options
    return []


def mutation_points(source: str) -> list[tuple[int, list[str]]]:
    """(line, description of each variant) for each mutable node, in order."""
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    points = []
    for node in _in_functions(tree):
        if id(node) in skipped:
            continue
        options = _options(node)
        if options:
            points.append((node.lineno, [description for description, _ in options]))
    return points


def _apply(node: ast.AST, replacement) -> ast.AST:
    kind, value = replacement
    if kind == "compare":
        node.ops = [value()]
    elif kind == "binop" or kind == "boolop":
        node.op = value()
    elif kind == "unwrap":
        return node.operand
    elif kind == "keep":
        return node.left if value == "left" else node.right
    elif kind == "constant":
        node.value = value
    elif kind == "rename":
        if isinstance(node.func, ast.Attribute):
            node.func.attr = value
        else:
            node.func.id = value
    elif kind == "swap_where":
        node.args[1], node.args[2] = node.args[2], node.args[1]
    return node


def mutated_source(source: str, index: int, variant: int) -> str:
    """``source`` with mutation ``variant`` applied at mutation point ``index`` (re-parsed, so ids are fresh)."""
    tree = ast.parse(source)
    skipped = _skipped_nodes(tree)
    targets = [node for node in _in_functions(tree) if id(node) not in skipped and _options(node)]
    target = targets[index]
    _, replacement = _options(target)[variant]
    replaced = _apply(target, replacement)
    if replaced is not target:  # an unwrapped negation or a dropped operand: put what is kept where it stood
        for parent in ast.walk(tree):
            for field, old in ast.iter_fields(parent):
                if old is target:
                    setattr(parent, field, replaced)
                elif isinstance(old, list):
                    old[:] = [replaced if item is target else item for item in old]
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


def mutants_of(root: Path, patterns: list[str]) -> list[Mutant]:
    files = sorted(p for p in (root / "variables").rglob("*.py"))
    chosen = []
    for path in files:
        relative = path.relative_to(root).as_posix()
        if patterns and not any(fnmatch.fnmatch(relative, pattern) for pattern in patterns):
            continue
        chosen.append((relative, path.read_text(encoding="utf-8")))
    mutants = []
    for relative, source in chosen:
        for index, (line, descriptions) in enumerate(mutation_points(source)):
            for variant, description in enumerate(descriptions):
                mutants.append(Mutant(relative, index, variant, line, description))
    return mutants


# ------------------------------------------------------------------------------------- test selection


def yaml_tests(root: Path) -> list[str]:
    tests = root / "tests"
    return sorted(
        p.relative_to(root).as_posix()
        for p in tests.rglob("*.y*ml")
        if p.suffix in (".yaml", ".yml") and "python" not in p.relative_to(tests).parts[:1]
    )


def _variables_by_file(root: Path) -> dict[str, set[str]]:
    found = {}
    for path in (root / "variables").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found[path.relative_to(root).as_posix()] = {n.name for n in tree.body if isinstance(n, ast.ClassDef)}
    return found


def _strings_read(path: Path, root: Path, seen: set[Path]) -> set[str]:
    """String constants of a module and of the package modules it imports (helpers read variables too)."""
    if path in seen or not path.is_file():
        return set()
    seen.add(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("openfisca_cn_assist"):
            module = root / Path(*node.module.split("."))
            strings |= _strings_read(module.with_suffix(".py"), root, seen)
    return strings


def related_tests(root: Path, file: str, tests: list[str]) -> list[str]:
    """The YAML files naming a variable of ``file`` or any variable that reads it, directly or not."""
    by_file = _variables_by_file(root)
    names = set().union(*by_file.values())
    reads = {}
    for relative, defined in by_file.items():
        used = _strings_read(root / relative, root, set()) & names
        for name in defined:
            reads[name] = used - {name}
    affected = set(by_file[file])
    changed = True
    while changed:
        more = {name for name, used in reads.items() if used & affected} - affected
        affected |= more
        changed = bool(more)
    pattern = re.compile(r"\b(" + "|".join(sorted(affected)) + r")\b")
    return [t for t in tests if pattern.search((root / t).read_text(encoding="utf-8"))]


# ------------------------------------------------------------------------------------------- running


def _pytest(root: Path, tests: list[str], extra: list[str], timeout: float) -> int | None:
    """pytest's exit code on ``tests`` in ``root`` (rules imported from there), None on a timeout."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--tb=no", *extra, *tests]
    process = subprocess.Popen(
        command, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None


def failing_cases(root: Path, tests: list[str], timeout: float) -> dict[str, list[int]]:
    """For each YAML file with cases failing on the unchanged rules, their positions in the file."""
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as handle:
        report = Path(handle.name)
    try:
        code = _pytest(root, tests, [f"--junit-xml={report}"], timeout)
        cases = list(ET.parse(report).getroot().iter("testcase")) if code is not None else []
    except (ET.ParseError, OSError):
        cases = []
    finally:
        report.unlink(missing_ok=True)
    if not cases:
        raise SystemExit(f"the YAML tests do not run on the unchanged rules in {root}; fix that first")
    by_class = {t.removesuffix(Path(t).suffix).replace("/", ".") + Path(t).suffix: t for t in tests}
    failing: dict[str, list[int]] = {}
    position: dict[str, int] = {}
    for case in cases:  # in collection order, which is each file's order
        file = by_class.get(case.get("classname"), case.get("classname"))
        index = position[file] = position.get(file, -1) + 1
        if case.find("failure") is not None or case.find("error") is not None:
            failing.setdefault(file, []).append(index)
    return failing


def drop_cases(root: Path, failing: dict[str, list[int]]) -> list[str]:
    """Remove the failing cases from the YAML files of a scratch copy; the files left with no case."""
    import yaml  # a dependency of the package

    emptied = []
    for file, indexes in failing.items():
        path = root / file
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases = cases if isinstance(cases, list) else [cases]
        kept = [case for i, case in enumerate(cases) if i not in set(indexes)]
        if kept:
            path.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            emptied.append(file)
    return emptied


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class MutatedFile:
    """Writes a mutant over ``path`` and always puts the original back (bytes and modification time)."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text
        self.backup = path.with_name(path.name + BACKUP_SUFFIX)

    def __enter__(self):
        if self.backup.exists():
            raise SystemExit(f"{self.backup} exists: a run died while mutating {self.path}; run --restore first")
        self.original = self.path.read_bytes()
        self.stat = self.path.stat()
        shutil.copy2(self.path, self.backup)
        self.path.write_text(self.text, encoding="utf-8")
        return self

    def __exit__(self, *exc):
        self.path.write_bytes(self.original)
        os.utime(self.path, ns=(self.stat.st_atime_ns, self.stat.st_mtime_ns))  # keeps the original .pyc valid
        if _digest(self.path.read_bytes()) != _digest(self.original):
            raise SystemExit(f"could not restore {self.path}; its original is in {self.backup}")
        self.backup.unlink()
        return False


def restore_backups(root: Path) -> int:
    count = 0
    for backup in (root / "variables").rglob("*" + BACKUP_SUFFIX):
        shutil.copy2(backup, backup.with_name(backup.name.removesuffix(BACKUP_SUFFIX)))
        backup.unlink()
        print(f"restored {backup.relative_to(root).as_posix().removesuffix(BACKUP_SUFFIX)}")
        count += 1
    return count


def refuse_dirty(root: Path, files: set[str]) -> None:
    """In a git checkout, refuse files that git could not restore (uncommitted changes)."""
    if not (root / ".git").exists():
        raise SystemExit(f"--in-place needs a git checkout ({root} has no .git); run without --in-place")
    result = subprocess.run(
        ["git", "status", "--porcelain", "--", *sorted(files)], cwd=root, capture_output=True, text=True, check=False
    )
    dirty = [line[3:] for line in result.stdout.splitlines()]
    if result.returncode or dirty:
        raise SystemExit("refusing to mutate files with uncommitted changes: " + ", ".join(dirty or ["(git failed)"]))


@dataclass
class Worker:
    root: Path
    tests: list[str]
    timeout: float
    related: bool

    def selection(self, file: str) -> list[str]:
        return related_tests(self.root, file, self.tests) if self.related else self.tests

    def run(self, mutant: Mutant) -> tuple[Mutant, str]:
        path = self.root / mutant.file
        text = mutated_source(path.read_text(encoding="utf-8"), mutant.index, mutant.variant)
        selection = self.selection(mutant.file)
        if not selection:
            return mutant, "survived (no related test)"
        with MutatedFile(path, text):
            code = _pytest(self.root, selection, ["-x"], self.timeout)  # every selected case passes unmutated
        if code is None:
            return mutant, "killed (timeout)"
        if code == 0:
            return mutant, "survived"
        return mutant, "killed" if code == 1 else f"killed (pytest exit {code})"


def _terminate(signum, frame):
    raise SystemExit(f"stopped by signal {signum}")  # unwinds through MutatedFile.__exit__


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to test (default: this script's)")
    parser.add_argument("--files", nargs="*", default=[], help="globs of rule files, e.g. 'variables/dibao/*.py'")
    parser.add_argument("--max", type=int, help="test at most this many mutants, drawn at random (--seed)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tests", nargs="*", help="YAML files or folders to run (default: tests/ less tests/python)")
    parser.add_argument("--related", action="store_true", help="run only the YAML files naming an affected variable")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per mutant; a timeout counts as killed")
    parser.add_argument("--jobs", type=int, default=1, help="mutants tested at once, each job in its own copy")
    parser.add_argument("--in-place", action="store_true", help="mutate the checkout's files instead of a copy")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    parser.add_argument("--restore", action="store_true", help="put back the backups a killed --in-place run left")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)

    if args.restore:
        print(f"{restore_backups(root)} file(s) restored")
        return 0
    leftovers = list((root / "variables").rglob("*" + BACKUP_SUFFIX))
    if leftovers:
        raise SystemExit(f"backups of mutated files exist ({leftovers[0]} …): run --restore first")
    mutants = mutants_of(root, args.files)
    if args.max is not None and args.max < len(mutants):
        mutants = sorted(random.Random(args.seed).sample(mutants, args.max), key=lambda m: (m.file, m.index, m.variant))
    if args.list:
        for mutant in mutants:
            print(f"{mutant.where}  {mutant.description}")
        print(f"{len(mutants)} mutants")
        return 0
    if not mutants:
        raise SystemExit("no mutants: check --files")

    scratch = None
    if args.in_place:
        refuse_dirty(root, {m.file for m in mutants})
        roots, args.jobs = [root], 1
    else:
        scratch = Path(tempfile.mkdtemp(prefix="mutate-"))
        roots = []
        for job in range(args.jobs):
            copy = scratch / f"job{job}"
            shutil.copytree(root, copy, ignore=COPY_IGNORE, symlinks=True)
            roots.append(copy)
    try:
        return _run(args, roots, mutants)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _expand(root: Path, given: list[str] | None) -> list[str]:
    if not given:
        return yaml_tests(root)
    found = []
    for item in given:
        path = (root / item) if not Path(item).is_absolute() else Path(item)
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))
        found += [p.resolve().relative_to(root).as_posix() for p in files]
    return found


def _run(args, roots: list[Path], mutants: list[Mutant]) -> int:
    tests = _expand(roots[0], args.tests)
    started = time.monotonic()
    failing = failing_cases(roots[0], tests, args.timeout * 3)
    if failing:
        count = sum(len(indexes) for indexes in failing.values())
        if args.in_place:  # the checkout's test files are not rewritten: leave out the whole files
            left_out = set(failing)
        else:  # a scratch copy: keep the passing cases of those files
            left_out = set()
            for root in roots:
                left_out |= set(drop_cases(root, failing))
        tests = [t for t in tests if t not in left_out]
        print(
            f"{count} cases fail on the unchanged rules and cannot kill a mutant; left out of: {', '.join(sorted(failing))}"
        )
    print(f"{len(tests)} YAML files, {len(mutants)} mutants, {args.jobs} job(s)", flush=True)

    workers = [Worker(root, tests, args.timeout, args.related) for root in roots]
    results: list[tuple[Mutant, str]] = []
    queues = [mutants[i :: len(workers)] for i in range(len(workers))]

    stop = threading.Event()

    def drain(worker: Worker, queue: list[Mutant]):
        for mutant in queue:
            if stop.is_set():
                return
            result = worker.run(mutant)
            results.append(result)
            print(f"[{len(results)}/{len(mutants)}] {result[1]:<24} {mutant.where}  {mutant.description}", flush=True)

    if len(workers) == 1:  # in the main thread, so that a signal unwinds through the restore
        drain(workers[0], queues[0])
    else:
        with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
            futures = [pool.submit(drain, w, q) for w, q in zip(workers, queues)]
            try:
                for future in futures:
                    future.result()
            finally:
                stop.set()  # each job restores its file and stops after its current mutant

    killed = [m for m, outcome in results if outcome.startswith("killed")]
    survived = sorted((m for m, outcome in results if outcome.startswith("survived")), key=lambda m: (m.file, m.line))
    print(f"\nkilled {len(killed)}, survived {len(survived)}, score {100 * len(killed) / len(results):.1f} %"
          f" ({time.monotonic() - started:.0f} s)")  # fmt: skip
    if survived:
        print("surviving mutants:")
        for mutant in survived:
            print(f"  {mutant.where}  {mutant.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
