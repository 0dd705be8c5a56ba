"""The ``market`` command: forecasts, checks and exports of an assumptions file, in a terminal.

Every command reads the default market file (:func:`market.paths.default_assumptions`)
unless ``--assumptions`` names another, and most take ``--set PATH=VALUE`` overrides in the
vocabulary of :mod:`market.parameters`. Values are in the file's unit, rates in percent.
Tables round for people; ``--format csv|json`` and exports keep full float precision.

Exit status is 0 on success and 2 for anything the user can fix (a bad file, an unknown
dimension, a bad number, an output that cannot be written): the problems go to stderr,
one a line, each starting with where it is. No traceback is shown for any of them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from market import estimates, opportunity, parameter_table
from market.assumptions import Assumptions, slugify
from market.io import AssumptionsError, Problem, load_assumptions, write_atomically
from market.model import Forecast, as_float, forecast, goal_seek
from market.parameter_table import BASE_VALUE_PATH, CAGR_PATH
from market.parameters import OverrideError, Parameter, apply_overrides, parameters
from market.paths import assumptions_dir, default_assumptions, scenarios_dir
from market.risk import DEFAULT_PATHS, TOTAL
from market.scenarios import Scenario, ScenarioError, ScenarioStore
from report import formats
from report.export import plan_csv, plan_json, to_csv, to_json

__all__ = ["EXIT_OK", "EXIT_USAGE", "CommandError", "build_parser", "main"]

EXIT_OK = 0
EXIT_USAGE = 2
MAX_PATHS = 1_000_000  # as market.risk.MAX_PATHS, checked here so argparse can say so early

_EXAMPLES = f"""\
examples:
  market forecast --set {CAGR_PATH}=25
  market forecast --by region --set share.region.north-america=40
  market forecast --by component --set diff.component.software.ehr-systems=-2
  market export --format xlsx --out forecast.xlsx --set {CAGR_PATH}=18
"""


def paths_help() -> str:
    """The ``--set`` paths, one line each from :data:`~market.parameter_table.PARAMETER_TABLE`."""
    lines = ["assumption paths for --set PATH=VALUE (`market params` lists every path of a file):"]
    for spec in parameter_table.PARAMETER_TABLE:
        lines.extend(_help_lines(spec.shown_path(), spec.summary))
    return "\n".join(lines) + "\n\n" + _EXAMPLES


def _help_lines(path: str, summary: str, width: int = 88) -> list[str]:
    """``  path  summary``, the summary wrapped in a column of its own."""
    indent = 37  # where the summaries start
    words, lines, line = summary.split(), [], ""
    for word in words:
        if line and indent + len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    first = f"  {path}".ljust(indent - 1) + " "
    return [first + lines[0], *(" " * indent + rest for rest in lines[1:])]


class CommandError(Exception):
    """Something the user can fix; each line names where it is and what is wrong."""

    def __init__(self, lines: Iterable[str]) -> None:
        self.lines = tuple(lines)
        super().__init__("\n".join(self.lines))


def main(argv: list[str] | None = None) -> int:
    """Run one ``market`` command; the return value is the process exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error argparse has already printed
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    try:
        with warnings.catch_warnings():
            # overflow is reported as a problem below, never as numpy's warning with its path
            warnings.simplefilter("ignore", RuntimeWarning)
            args.run(args)
    except CommandError as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # output piped into `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (ValueError, ArithmeticError, KeyError, OSError, RecursionError, MemoryError) as err:
        # every failure is one line and exit 2, never a traceback
        print(f"market {args.command}: {_one_line(err)}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _one_line(err: BaseException) -> str:
    text = (err.strerror if isinstance(err, OSError) else None) or str(err) or type(err).__name__
    return " ".join(text.split())[:300]


def _finite_forecast(a: Assumptions) -> Forecast:
    """The forecast, or a CommandError if its numbers overflow what a float holds."""
    f = forecast(a)
    values = [f.totals["value"].to_numpy(), *(f.by(d.id).to_numpy().ravel() for d in a.dimensions)]
    if not all(map(math.isfinite, (v for array in values for v in array))):
        raise CommandError(
            [
                "the forecast overflows (values beyond 1.8e308): lower "
                f"{BASE_VALUE_PATH} or {CAGR_PATH}"
            ]
        )
    return f


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand; each sets ``run`` to its handler."""
    parser = argparse.ArgumentParser(
        prog="market",
        description="Market-size forecasts from an assumptions file.",
        epilog=paths_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    source, overrides = _source_options(), _override_options()
    epilog = paths_help()

    def add(
        name: str,
        run: Callable[[argparse.Namespace], None],
        text: str,
        parents: Sequence[argparse.ArgumentParser],
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=text,
            description=text,
            parents=list(parents),
            epilog=epilog if overrides in parents else None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        return sub

    sub = add("forecast", _forecast, "The market size year by year.", [source, overrides])
    sub.add_argument("--by", metavar="DIMENSION", help="add one column per segment of a dimension")
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table")
    _add_calibrate(sub)

    sub = add(
        "estimates",
        _estimates,
        "The published estimates side by side: paths, spread, where the model sits.",
        [source, overrides],
    )
    sub.add_argument("--format", choices=("text", "csv", "json"), default="text")

    add("params", _params, "Every assumption path with its value, range and provenance.", [source])

    sub = add("validate", _validate, "Check an assumptions file; list every problem.", [])
    sub.add_argument("file", metavar="FILE", type=Path)

    sub = add(
        "risk",
        _risk,
        "Monte Carlo percentiles and the sensitivity of the horizon total.",
        [source, overrides],
    )
    sub.add_argument(
        "--paths", type=_count, default=DEFAULT_PATHS, help=f"simulated paths ({DEFAULT_PATHS})"
    )
    sub.add_argument("--seed", type=int, default=0, help="random seed (0)")
    sub.add_argument(
        "--of",
        default=TOTAL,
        metavar="TARGET",
        help="sensitivity of: total (default) or DIM/SEG[/SUB], e.g. region/europe",
    )

    sub = add(
        "goal-seek",
        _goal_seek,
        "The CAGR that makes the market reach a target size.",
        [source, overrides],
    )
    sub.add_argument(
        "--target",
        type=float,
        required=True,
        metavar="VALUE",
        help="market size to reach, in the file's unit",
    )
    sub.add_argument("--year", type=int, metavar="YEAR", help="year to reach it (the horizon)")

    sub = add(
        "export",
        _export,
        "Write a file the dashboard offers for download: "
        + ", ".join(f.label for f in formats.FORMATS)
        + ".",
        [source, overrides],
    )
    sub.add_argument(
        "--format",
        choices=[f.name for f in formats.FORMATS],
        help="file format (by default from --out's suffix: "
        + ", ".join(f.suffix for f in formats.FORMATS)
        + ")",
    )
    sub.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="file to write (replaced whole); missing folders are created",
    )
    sub.add_argument(
        "--by",
        metavar="DIMENSION",
        help="one column per segment ("
        + " and ".join(f.name for f in formats.FORMATS if f.by_dimension)
        + ")",
    )
    _add_calibrate(sub)
    sub.add_argument(
        "--scenario",
        metavar="NAME",
        help="start from a saved scenario (its base file and overrides; see the Scenarios "
        "page); --calibrate and --set apply on top",
    )

    sub = add(
        "opportunity",
        _opportunity,
        "Our opportunity: the served market (SAM), a share path and the revenue it gives.",
        [source, overrides],
    )
    sub.add_argument(
        "--serve",
        action="append",
        default=[],
        metavar="DIM=SEG[:PCT],...",
        help="segments served in a dimension, ids as in `market params` (sub-segments as "
        "software.ehr-systems), each optionally with the %% of it served (europe:50); "
        "repeat for more dimensions; a dimension left out is served whole",
    )
    sub.add_argument(
        "--share-start", type=_percent, metavar="PCT", help="share of SAM in the base year, %%"
    )
    sub.add_argument(
        "--current-revenue",
        type=_positive,
        metavar="VALUE",
        help="anchor the base year to this revenue (file's unit); the starting share is derived",
    )
    sub.add_argument(
        "--share-target",
        type=_percent,
        required=True,
        metavar="PCT",
        help="target share of SAM, %%",
    )
    sub.add_argument(
        "--by", type=int, metavar="YEAR", help="year the target share is reached (the horizon)"
    )
    sub.add_argument(
        "--shape",
        choices=[s.value for s in opportunity.Shape],
        default=opportunity.Shape.LINEAR.value,
    )
    sub.add_argument(
        "--revenue-target",
        type=_positive,
        metavar="VALUE",
        help="a revenue to reach (file's unit): the text adds its chance and the share it needs",
    )
    sub.add_argument(
        "--target-year", type=int, metavar="YEAR", help="year of --revenue-target (the horizon)"
    )
    sub.add_argument("--format", choices=("text", "csv", "json"), default="text")

    from cli import grid  # here: cli.grid uses this module's loading and tables

    grid.register(add, [source, overrides])
    return parser


def _add_calibrate(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--calibrate",
        metavar="SOURCE",
        help="set the base value and CAGR to reproduce a published estimate (its id, see "
        "`market estimates`) or `median`; the horizon stays, figures past it are named; "
        "--set applies on top",
    )


def _source_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--assumptions",
        type=Path,
        metavar="FILE",
        help="assumptions file (default: the project's default market)",
    )
    return options


def _override_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--set",
        action="extend",
        nargs="+",
        default=[],
        metavar="PATH=VALUE",
        help="override assumptions, one or more PATH=VALUE (paths below)",
    )
    return options


def _percent(text: str) -> float:
    value = _number(text)
    if not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"must be a percentage from 0 to 100, got {text}")
    return value


def _positive(text: str) -> float:
    value = _number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_PATHS:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_PATHS:,}, got {value}")
    return value


# --- loading -------------------------------------------------------------------------------


def _load(
    args: argparse.Namespace, calibration: estimates.Calibration | None = None
) -> Assumptions:
    """The assumptions named on the command line, with every ``--set`` applied."""
    return _load_with_file(args, calibration)[1]


def _load_with_file(
    args: argparse.Namespace,
    calibration: estimates.Calibration | None = None,
    scenario: Scenario | None = None,
) -> tuple[Assumptions, Assumptions]:
    """The file's own assumptions, and the same with a scenario's overrides, a calibration
    (``--calibrate`` unless one is given) and every ``--set`` applied, each over the last."""
    if scenario is not None:
        file = _read(assumptions_dir() / scenario.base_file)
    else:
        file = _read(args.assumptions or default_assumptions())
    if calibration is None and getattr(args, "calibrate", None) is not None:
        calibration = _calibrated(file, args.calibrate)
    overrides, problems = _parse_overrides(getattr(args, "set", []))
    if calibration is not None:
        overrides = {**calibration.overrides, **overrides}
    if scenario is not None:
        overrides = {**scenario.overrides, **overrides}
    a = file
    try:
        a = apply_overrides(file, overrides)
    except OverrideError as err:
        problems += [f"--set: {path}: {why}" for path, why in err.problems.items()]
    if problems:
        raise CommandError(problems)
    return file, a


def _scenario(args: argparse.Namespace) -> Scenario | None:
    """The saved scenario ``--scenario`` names, if any (with ``--assumptions``, refused:
    a scenario names its own file)."""
    name = getattr(args, "scenario", None)
    if name is None:
        return None
    if args.assumptions is not None:
        raise CommandError(["--scenario: a scenario names its own file; leave --assumptions out"])
    try:
        return ScenarioStore(scenarios_dir()).load(name)
    except ScenarioError as err:
        raise CommandError([f"--scenario {name}: {err}"]) from None


def _read(path: Path) -> Assumptions:
    try:
        return load_assumptions(path)
    except AssumptionsError as err:
        raise CommandError(_located(err.source, p) for p in err.problems) from None


def _located(source: str, problem: Problem) -> str:
    """``file.yaml (line 3, column 5): ...``: the file's name stands in for "file"."""
    text = str(problem)
    if problem.location == "file":
        text = text.removeprefix("file").removeprefix(":")
        return f"{source}{text}" if text.startswith(" (") else f"{source}:{text}"
    return f"{source}: {text}"


def _parse_overrides(items: Iterable[str]) -> tuple[dict[str, float], list[str]]:
    """``PATH=VALUE`` items as a mapping, and a line for each item that is not one."""
    overrides: dict[str, float] = {}
    problems: list[str] = []
    for item in items:
        path, equals, text = item.partition("=")
        if not equals or not path.strip():
            problems.append(f"--set {item}: expected PATH=VALUE, for example {CAGR_PATH}=25")
            continue
        try:
            overrides[path.strip()] = float(text)
        except ValueError:
            problems.append(f"--set {item}: {text.strip()!r} is not a number")
    return overrides, problems


def _dimension(a: Assumptions, name: str | None) -> str | None:
    """The id of the dimension a user named by id or display name, any case."""
    if name is None:
        return None
    wanted = slugify(name)
    for dim in a.dimensions:
        if wanted in (dim.id, slugify(dim.name)):
            return dim.id
    known = ", ".join(dim.id for dim in a.dimensions)
    raise CommandError([f"--by {name}: no such dimension; known: {known}"])


# --- commands ------------------------------------------------------------------------------


def _forecast(args: argparse.Namespace) -> None:
    calibration = _calibration(args) if args.calibrate is not None else None
    a = _load(args, calibration)
    dimension = _dimension(a, args.by)
    f = _finite_forecast(a)
    if args.format == "csv":
        sys.stdout.write(to_csv(f, dimension))
    elif args.format == "json":
        sys.stdout.write(to_json(f, dimension))
    else:
        print(_forecast_table(a, f, dimension, _parse_overrides(args.set)[0], calibration))
        return
    if calibration is not None:  # stdout stays a clean table for scripts
        print(calibration.note(), file=sys.stderr)


def _calibration(args: argparse.Namespace) -> estimates.Calibration:
    return _calibrated(_read(args.assumptions or default_assumptions()), args.calibrate)


def _calibrated(a: Assumptions, target: str) -> estimates.Calibration:
    try:
        return estimates.calibration(a, target)
    except ValueError as err:
        raise CommandError([f"--calibrate {target}: {err}"]) from None


def _estimates(args: argparse.Namespace) -> None:
    a = _load(args)
    c = estimates.comparison(a, _finite_forecast(a).totals["value"])
    frame = estimates.table(c)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    elif args.format == "json":
        sys.stdout.write(_estimates_json(a, frame))
    else:
        print(_estimates_text(a, c, frame))


def _params(args: argparse.Namespace) -> None:
    a = _load(args)
    found = parameters(a)
    header = ["Path", "Label", "Value", "Range", "Unit", "Provenance", "Link key"]
    rows = [
        [p.path, p.label, _exact(p.value), _range(p), p.unit, p.provenance.value, p.key]
        for p in found
    ]
    print(f"{a.market.name}: {len(found)} assumptions; change any with --set PATH=VALUE.\n")
    print(_render(header, rows, "llrrlll"))


def _validate(args: argparse.Namespace) -> None:
    a = _read(args.file)
    dims = ", ".join(d.name for d in a.dimensions)
    print(
        f"OK {args.file}: {a.market.name}, {a.market.unit}, {a.years.first}-{a.years.horizon} "
        f"(base {a.years.base}), {len(parameters(a))} assumptions, dimensions: {dims}"
    )
    # a source that contradicts itself is worth knowing, but it is not the file's error
    for warning in estimates.warnings(a):
        print(f"{args.file}: warning: {warning}", file=sys.stderr)


def _risk(args: argparse.Namespace) -> None:
    from market import risk  # imported here: only this command needs the simulation

    a = _load(args)
    try:
        paths = risk.budgeted_paths(a, args.paths)
        simulation = risk.simulate(a, paths=paths, seed=args.seed)
        table = risk.sensitivity(a, target=args.of)
    except ValueError as err:
        raise CommandError([f"risk: {err}"]) from None
    if paths < args.paths:
        print(
            f"risk: {args.paths:,} paths of this file would need more than "
            f"{risk.MEMORY_CEILING // 2**20} MB; simulating {paths:,} instead",
            file=sys.stderr,
        )
    horizon = a.years.horizon
    percentiles = simulation.totals
    header = ["Year", *map(str, percentiles.columns)]
    rows = [[str(year), *(_num(v) for v in row)] for year, row in percentiles.iterrows()]
    print(f"{a.market.name}: {paths:,} simulated paths, seed {args.seed}, {a.market.unit}\n")
    print(_render(header, rows, "l" + "r" * len(percentiles.columns)))
    if simulation.target is None or simulation.probability_of_target is None:
        print(f"\nThe source reports no {horizon} value to compare the paths with.\n")
    else:
        print(
            f"\nChance the {horizon} total reaches the reported {_num(simulation.target)}: "
            f"{simulation.probability_of_target * 100:.1f}%\n"
        )
    print(f"What moves the {horizon} value of {args.of} most (each input alone, low to high):\n")
    print(_sensitivity_table(table, horizon))


def _sensitivity_table(table: pd.DataFrame, horizon: int) -> str:
    header = ["Path", "Low input", "High input", f"Low {horizon}", f"High {horizon}", "Swing"]
    rows = [
        [
            str(r.path),
            _exact(r.low_input),
            _exact(r.high_input),
            _num(r.low_value),
            _num(r.high_value),
            _num(r.swing),
        ]
        for r in table.itertuples(index=False)
    ]
    return _render(header, rows, "lrrrrr")


def _goal_seek(args: argparse.Namespace) -> None:
    a = _load(args)
    year = args.year if args.year is not None else a.years.horizon
    try:
        cagr = goal_seek(a, args.target, year)
    except ValueError as err:
        raise CommandError([f"goal-seek: {err}"]) from None
    base, unit = a.years.base, a.market.unit
    print(
        f"To reach {_num(args.target)} {unit} in {year}, the market must grow {cagr:.2f}% a year "
        f"from {_num(a.growth.base_value.value)} in {base} "
        f"(the assumptions say {a.growth.cagr_pct.value:.2f}%)."
    )
    print(f"See it with: market forecast --set {CAGR_PATH}={cagr!r}")


def _opportunity(args: argparse.Namespace) -> None:
    a = _load(args)
    if args.current_revenue is None and args.share_start is None:
        raise CommandError(["opportunity: give --share-start PCT or --current-revenue VALUE"])
    if args.current_revenue is not None and args.share_start is not None:
        raise CommandError(
            ["opportunity: --current-revenue derives the starting share; leave --share-start out"]
        )
    served = [_served(a, item) for item in args.serve]
    try:
        opp = opportunity.Opportunity(
            served=tuple(served),
            start_share_pct=args.share_start if args.share_start is not None else 0.0,
            target_share_pct=args.share_target,
            target_year=args.by,
            shape=opportunity.Shape(args.shape),
            current_revenue=args.current_revenue,
            revenue_target=args.revenue_target,
            revenue_target_year=args.target_year,
        )
        opportunity.check(a, opp)
        frame = opportunity.plan(a, opp)
    except (ValidationError, ValueError) as err:
        raise CommandError([f"opportunity: {_reason(err)}"]) from None
    if args.format == "csv":
        sys.stdout.write(plan_csv(frame))
    elif args.format == "json":
        sys.stdout.write(plan_json(frame))
    else:
        print(_opportunity_text(a, opp, frame))


def _served(a: Assumptions, item: str) -> opportunity.Served:
    """``region=north-america,europe:50`` as the picks of one dimension; unknown ids name the
    valid ones."""
    name, equals, text = item.partition("=")
    dimensions = [d.id for d in a.dimensions]
    dimension = name.strip()
    if dimension not in dimensions:
        raise CommandError(
            [f"--serve {item}: no dimension {dimension!r}; valid: {', '.join(dimensions)}"]
        )
    known = opportunity.segment_choices(a, dimension)
    picks = []
    for part in text.split(",") if equals else []:
        segment, colon, pct = part.strip().partition(":")
        if segment not in known:
            raise CommandError(
                [
                    f"--serve {item}: no segment {segment!r} in {dimension}; valid: "
                    + ", ".join(known)
                ]
            )
        try:
            picks.append(
                opportunity.Pick(segment=segment, served_pct=float(pct) if colon else 100.0)
            )
        except (ValidationError, ValueError):
            raise CommandError(
                [f"--serve {item}: {pct!r} is not a served percentage above 0 and up to 100"]
            ) from None
    if not picks:
        raise CommandError([f"--serve {item}: expected DIM=SEG,..., for example region=europe"])
    try:
        return opportunity.Served(dimension=dimension, picks=tuple(picks))
    except ValidationError as err:
        raise CommandError([f"--serve {item}: {_reason(err)}"]) from None


def _reason(err: Exception) -> str:
    if isinstance(err, ValidationError):
        return "; ".join(e["msg"].removeprefix("Value error, ") for e in err.errors())
    return str(err)


def _opportunity_text(a: Assumptions, opp: opportunity.Opportunity, frame: pd.DataFrame) -> str:
    unit = a.market.unit
    lines = [f"{a.market.name}: our opportunity in {unit}", ""]
    lines += [f"{what}: {value}" for what, value in opportunity.describe(a, opp)]
    lines += ["", opportunity.ASSUMPTION_NOTE, opportunity.INDEPENDENCE_NOTE, ""]
    header = ["Year", "Market", "SAM", "Share", "Revenue"]
    rows = [
        [str(r.year), _num(r.market), _num(r.sam), f"{r.share_pct:.2f}%", _num(r.revenue)]
        for r in frame.itertuples(index=False)
    ]
    lines.append(_render(header, rows, "lrrrr"))
    risk = opportunity.simulate(a, opp)
    horizon = risk.horizon
    lines += [
        "",
        f"Revenue in {a.years.horizon} over {risk.paths:,} simulated paths (seed 0): "
        f"P10 {_num(horizon['p10'])}, P50 {_num(horizon['p50'])}, P90 {_num(horizon['p90'])}",
    ]
    if opp.revenue_target is not None:
        year = opp.revenue_target_year or a.years.horizon
        target = opp.revenue_target
        chance = risk.chance(target, year)
        lines.append(
            f"Chance revenue reaches {_num(target)} by {year}: {chance * 100:.1f}% of paths"
        )
        try:
            needed = opportunity.required_target_share_pct(a, opp, target, year)
            lines.append(f"Target share that reaches it: {needed:.2f}% of SAM")
        except ValueError as err:
            lines.append(f"Target share that reaches it: none ({err})")
    return "\n".join(lines)


def _export(args: argparse.Namespace) -> None:
    out: Path = args.out
    chosen = formats.format_named(args.format) if args.format else formats.format_for(out.suffix)
    if chosen is None:
        names = ", ".join(f.name for f in formats.FORMATS)
        raise CommandError([f"--out {out}: cannot tell the format; add --format ({names})"])
    if args.by and not chosen.by_dimension:
        raise CommandError([f"--by: {chosen.label} is not split by a dimension; leave --by out"])
    scenario = _scenario(args)
    file, a = _load_with_file(args, scenario=scenario)
    dimension = _dimension(a, args.by)
    label = scenario.base_file if scenario else (args.assumptions or default_assumptions()).name
    request = formats.ExportRequest(
        a,
        file,
        _finite_forecast(a),
        dimension,
        file_label=label,
        scenario=scenario.name if scenario else None,
    )
    _check_writable(out)
    data = chosen.render(request)
    try:
        write_atomically(out, data)
    except OSError as err:
        raise CommandError([f"--out {out}: cannot write it ({err.strerror or err})"]) from None
    print(f"Wrote {out} ({chosen.name}, {a.market.name}, {a.years.first}-{a.years.horizon})")


def _check_writable(out: Path) -> None:
    """Refuse, before writing, an output that is a folder, a link, a device or a FIFO,
    or lies under a file: only a regular file is ever replaced."""
    if out.is_symlink():
        raise CommandError([f"--out {out}: is a symbolic link; name the file itself"])
    if out.is_dir():
        raise CommandError([f"--out {out}: is a folder; name a file"])
    if out.exists() and not out.is_file():
        raise CommandError([f"--out {out}: is not a regular file (a device or a FIFO)"])
    parent = out.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise CommandError([f"--out {out}: {parent} is a file, not a folder"])


# --- tables for people ---------------------------------------------------------------------


def _forecast_table(
    a: Assumptions,
    f: Forecast,
    dimension: str | None,
    overrides: dict[str, float],
    calibration: estimates.Calibration | None = None,
) -> str:
    segments = f.by(dimension) if dimension else None
    names = list(segments.columns) if segments is not None else []
    header = ["Year", "Basis", "Total", *names, "Reported", "Growth"]
    rows = []
    for year, row in f.totals.iterrows():
        parts = [_num(segments.at[year, name]) for name in names] if segments is not None else []
        growth = "" if math.isnan(row["growth_pct"]) else f"{row['growth_pct']:.1f}%"
        basis = "modelled" if row["modelled"] else "reported"
        rows.append([str(year), basis, _num(row["value"]), *parts, _num(row["reported"]), growth])
    lines = [f"{a.market.name}: market size in {a.market.unit}", *_basis_note(a)]
    if calibration is not None:
        lines.append(calibration.note())
    if overrides:
        lines.append("With " + ", ".join(f"{p}={_exact(v)}" for p, v in overrides.items()))
    lines += [
        "",
        _render(header, rows, "ll" + "r" * (len(header) - 2)),
    ]
    return "\n".join(lines)


def _basis_note(a: Assumptions) -> list[str]:
    """Which years are the source's and which the model's, in two lines."""
    first, base, horizon = a.years.first, a.years.base, a.years.horizon
    cagr = a.growth.cagr_pct.value
    modelled = f"{base}-{horizon} modelled from the {base} base at {cagr:g}% a year"
    if first < base:
        history = str(first) if base - first == 1 else f"{first}-{base - 1}"
        modelled = f"{history} as reported by the source; {modelled}"
    return [f"{modelled}.", "Reported: the source's own figure, where it gives one."]


def _estimates_text(a: Assumptions, c: estimates.Comparison, frame: pd.DataFrame) -> str:
    lines = [f"{a.market.name}: published estimates in {a.market.unit}", ""]
    for e in c.estimates:
        lines.append(f"{e.id}: {e.label}, {e.title}")
        lines.append(f"  {_cagr_line(estimates.consistency(e))}")
    header = ["Year", *(e.id for e in c.estimates), "Low", "High", "Median", "Spread", "Model", ""]
    rows = []
    for r in frame.to_dict("records"):
        cells = [
            f"~{_num(r[e.id])}"
            if r[f"{e.id} basis"] == "derived"
            else estimates.figure_text(r[e.id])
            for e in c.estimates
        ]
        spread = "" if math.isnan(r["spread_pct"]) else f"{r['spread_pct']:.1f}%"
        band = [_num(r["low"]), _num(r["high"]), _num(r["median"]), spread]
        rows.append([str(r["year"]), *cells, *band, _num(r["model"]), r["model_position"]])
    lines += [
        "",
        _render(header, rows, "l" + "r" * (len(header) - 2) + "l"),
        "",
        "~ derived: between a source's stated figures, at the rate they imply. Low, high and the "
        "median are derived; the spread is high minus low as % of the median.",
        estimates.statement(a, unit_format=_num),
    ]
    return "\n".join(lines)


def _cagr_line(check: estimates.Consistency) -> str:
    if check.stated_pct is None:
        return "states no CAGR"
    stated = f"stated CAGR {check.stated_pct:g}%"
    if check.fits is None:
        return f"{stated}; its figures cannot check it"
    if not check.fits:
        return f"{stated}: fits none of its own figures"
    start, end = check.period or (0, 0)
    how = "inferred" if check.inferred else "stated"
    return f"{stated} over {start}-{end} ({how}), its figures imply {check.implied_pct:.2f}%"


def _estimates_json(a: Assumptions, frame: pd.DataFrame) -> str:
    sources = []
    for e in estimates.estimates_of(a):
        check = estimates.consistency(e)
        cagr = e.cagr_pct
        sources.append(
            {
                "id": e.id,
                "publisher": e.publisher,
                "title": e.title,
                "edition": e.edition,
                "reference": e.reference,
                "values": {str(v.year): v.value for v in e.values},
                "cagr_pct": None if cagr is None else cagr.value,
                "stated_period": None
                if cagr is None or cagr.start is None
                else [cagr.start, cagr.end],
                "inferred_period": list(check.period) if check.inferred and check.period else None,
                "implied_cagr_pct": check.implied_pct,
                "cagr_fits": check.fits,
            }
        )
    years = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]
    followed = estimates.followed(a)
    document = {
        "market": a.market.name,
        "unit": a.market.unit,
        "calibrated_to": a.calibrated_to,
        "follows": followed.target,
        "estimates": sources,
        "years": years,
    }
    return (
        json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False, default=_plain) + "\n"
    )


def _plain(value: object) -> object:
    """numpy scalars in a frame's records as Python numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _render(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    """A plain-text table; ``align`` has one ``l`` or ``r`` per column."""
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.ljust(w) if how == "l" else cell.rjust(w)
            for cell, w, how in zip(cells, widths, align, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _num(value: object) -> str:
    """Rounded for reading: ``1,651.2``; blank for a missing value."""
    number = as_float(value)
    return "" if math.isnan(number) else f"{number:,.1f}"


def _exact(value: object) -> str:
    """A value as typed in a file or on the command line: ``20.12``, ``-1.5``, ``200``."""
    return f"{as_float(value):.12g}"


def _range(p: Parameter) -> str:
    if math.isinf(p.high):
        return f"above {p.low:g}"
    return f"{p.low:g} to {p.high:g}"
