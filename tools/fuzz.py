"""The long run of cnncalc's hostile-input fuzz: many cases of every check in ``tests/hostile.py``.

    python tools/fuzz.py --cases 100000 --run 1

Unlike the test suite (which stops at the first failure and shrinks it), this
run keeps going: it counts the cases, the crashes (any exception other than
ShapeError, SpecError, TypeError or ValueError, or a malformed output), and the
hangs (a case still running after ``--timeout`` seconds, stopped by an alarm),
prints one line per distinct crash with a reproducing example, and ends with a
line of totals. Exit status 1 if anything crashed or hung. POSIX only (it uses
``SIGALRM`` to stop a hang).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import hostile  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

CHECKS = hostile.all_checks()


def where(error: BaseException) -> str:
    """The innermost cnncalc line an exception came from: what makes two crashes the same one."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if "cnncalc" in f.filename]
    place = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(error).__name__} at {place}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases in all, shared among the checks")
    parser.add_argument("--run", type=int, default=1, help="run number: the same number draws the same cases")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds after which a case is a hang")
    parser.add_argument("--check", choices=sorted(CHECKS), action="append", help="run only these checks")
    args = parser.parse_args(argv)
    checks = args.check or sorted(CHECKS)
    crashes: Counter[str] = Counter()
    examples: dict[str, str] = {}
    hangs = 0
    cases = Counter()
    slowest = 0.0
    started = time.perf_counter()
    # a run started in the background ignores Ctrl-C; make SIGINT and SIGTERM stop it with its figures
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    def chunk(name: str, count: int, chunk_seed: int) -> None:
        """Run ``count`` generated examples of one check with one seed."""
        check = CHECKS[name]

        @seed(chunk_seed)
        @settings(
            max_examples=count,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            phases=["generate"],
        )
        @given(st.data())
        def run(data: st.DataObject) -> None:
            nonlocal hangs, slowest
            if cases[name] >= share:
                return
            cases[name] += 1
            begun = time.perf_counter()
            try:
                hostile.bounded(check, data, args.timeout)
            except hostile.Hang as error:
                hangs += 1
                key = f"{name}: hang over {args.timeout:g} s, {where(error)}"
                crashes[key] += 1
                examples.setdefault(key, "".join(traceback.format_exception(error, limit=-6))[-3000:])
            except Exception as error:  # a crash: counted, one example kept, and the run goes on
                key = f"{name}: {where(error)}: {str(error)[:200]!r}"
                crashes[key] += 1
                examples.setdefault(key, "".join(traceback.format_exception(error, limit=-4))[-3000:])
            finally:
                slowest = max(slowest, time.perf_counter() - begun)

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # the alarm went off inside Hypothesis's own drawing: go on with a new seed
            if cases[name] >= share and type(error).__name__ == "FlakyStrategyDefinition":
                return  # the cases after the last one counted return at once, which Hypothesis notices
            engine_errors[f"{name}: {type(error).__name__}: {str(error)[:300]}"] += 1
            if isinstance(error, hostile.Hang):
                nonlocal hangs
                hangs += 1

    share = args.cases // len(checks)
    engine_errors: Counter[str] = Counter()
    stopped = ""
    try:
        for index in range(10**6):  # the checks in turn, 500 cases at a time, so that a short run covers them all
            waiting = [name for name in checks if cases[name] < share]
            if not waiting:
                break
            for name in waiting:
                chunk(name, min(500, share - cases[name]), args.run * 10**6 + index)
            done = ", ".join(f"{name} {cases[name]}" for name in checks)
            print(
                f"{done} cases, crashes {sum(crashes.values()) - hangs}, hangs {hangs}, "
                f"{time.perf_counter() - started:.0f} s",
                flush=True,
            )
    except KeyboardInterrupt:  # Ctrl-C (or kill -INT): report what ran so far
        stopped = " (stopped early)"

    elapsed = time.perf_counter() - started
    for key, count in crashes.most_common():
        print(f"{count:>7}  {key}\n         example: {examples[key]}")
    for key, count in engine_errors.items():
        print(f"{count:>7}  test engine interrupted: {key}")
    crash_kinds = [key for key in crashes if "hang over" not in key]
    print(
        f"cases {sum(cases.values())}{stopped}, crashes {sum(crashes[key] for key in crash_kinds)} "
        f"({len(crash_kinds)} distinct), "
        f"hangs {hangs}, slowest case {slowest:.2f} s, time {elapsed:.0f} s, run {args.run}"
        + (f", test engine interrupted {sum(engine_errors.values())} times" if engine_errors else "")
    )
    return 1 if crashes or hangs else 0


if __name__ == "__main__":
    sys.exit(main())
