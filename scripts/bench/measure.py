#!/usr/bin/env python3
"""Times commands for scripts/bench.sh and prints one result line per figure.

  measure.py cmd   LABEL TARGET_MS RUNS -- COMMAND...    median wall time of RUNS runs
  measure.py once  LABEL TARGET_MS -- COMMAND...         one run (slow operations: launch, down)
  measure.py files LABEL TARGET_MS PATTERN -- COMMAND... one process per file (the file path is
                                                          appended); total and per-file median

A command that is not implemented yet (exit 2 and "not available" on stderr), cannot be started,
crashes (killed by a signal) or fails (non-zero exit) is reported as "n/a (reason)", never as a
figure. hyperfine is used for `cmd` when it is installed (SKY_BENCH_HYPERFINE=0 turns it off).
"""

import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

LABEL_WIDTH = 46
TIMEOUT_S = float(os.environ.get("SKY_BENCH_TIMEOUT", "300"))  # per command run


def line(label, figure, target, verdict=""):
    print(f"{label:<{LABEL_WIDTH}} {figure:>12}  (target {target}){verdict}", flush=True)


def fmt_ms(ms):
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def verdict(ms, target_ms):
    return "" if ms <= target_ms else "  MISSED"


def run_once(argv, ok_codes=(0,)):
    """Runs argv; returns (elapsed_ms, None) or (None, reason)."""
    ms, _, reason = run_coded(argv, ok_codes)
    return ms, reason


def run_coded(argv, ok_codes=(0,)):
    """Runs argv; returns (elapsed_ms, exit_code, None) or (None, exit_code, reason)."""
    start = time.perf_counter()
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                              errors="replace", timeout=TIMEOUT_S)
    except OSError as err:
        return None, None, f"cannot run {argv[0]}: {err.strerror}"
    except subprocess.TimeoutExpired:
        return None, None, f"no answer within {TIMEOUT_S:g} s"
    elapsed = (time.perf_counter() - start) * 1000
    err_text = (proc.stderr or "") + (proc.stdout or "")
    code = proc.returncode
    if code == 2 and "not available" in err_text:
        return None, code, "not implemented yet"
    if code < 0 or code >= 128:
        return None, code, f"crashed (exit {code})"
    if code not in ok_codes:
        first = next((l.strip() for l in err_text.splitlines() if l.strip()), "")
        return None, code, f"exit {code}" + (f": {first[:70]}" if first else "")
    return elapsed, code, None


def median_hyperfine(argv, runs):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cmd = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--style", "none",
               "--export-json", out.name, "--", " ".join(_quote(a) for a in argv)]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if proc.returncode != 0:
            return None
        with open(out.name, encoding="utf-8") as f:
            return json.load(f)["results"][0]["median"] * 1000


def _quote(arg):
    if arg and all(c.isalnum() or c in "-_./=:,+@%" for c in arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"


def cmd_median(label, target_ms, runs, argv):
    target = f"< {target_ms:g} ms"
    first, reason = run_once(argv)  # also the warm-up run
    if reason:
        line(label, "n/a", target, f"  ({reason})")
        return
    median = None
    if shutil.which("hyperfine") and os.environ.get("SKY_BENCH_HYPERFINE", "1") != "0":
        median = median_hyperfine(argv, runs)
    if median is None:
        times = []
        for _ in range(runs):
            ms, reason = run_once(argv)
            if reason:
                line(label, "n/a", target, f"  ({reason} on a later run)")
                return
            times.append(ms)
        median = statistics.median(times)
    line(label, fmt_ms(median), target, verdict(median, target_ms))


def cmd_once(label, target_ms, argv):
    target = f"< {target_ms / 1000:g} s"
    ms, reason = run_once(argv)
    if reason:
        line(label, "n/a", target, f"  ({reason})")
        return 1
    line(label, f"{ms / 1000:.2f} s", target, verdict(ms, target_ms))
    return 0


def cmd_files(label, target_ms, pattern, argv):
    target = f"< {target_ms / 1000:g} s"
    files = sorted(glob.glob(pattern))
    if not files:
        line(label, "n/a", target, f"  (no files match {pattern})")
        return
    times, valid = [], 0
    for path in files:
        # exit 1 is an answer too (the file is invalid); anything else is not
        ms, code, reason = run_coded(argv + [path], ok_codes=(0, 1))
        if reason:
            line(label, "n/a", target, f"  ({os.path.basename(path)}: {reason})")
            return
        times.append(ms)
        valid += code == 0
    total = sum(times)
    extra = (f"  [{len(files)} files, median {fmt_ms(statistics.median(times))}/file,"
             f" {valid} valid, {len(files) - valid} invalid]")
    line(label, f"{total / 1000:.2f} s", target, verdict(total, target_ms) + extra)


def main(args):
    if "--" not in args or len(args) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    split = args.index("--")
    head, argv = args[:split], args[split + 1:]
    mode, label, target_ms = head[0], head[1], float(head[2])
    if mode == "cmd" and len(head) == 4:
        cmd_median(label, target_ms, int(head[3]), argv)
        return 0
    if mode == "once" and len(head) == 3:
        return cmd_once(label, target_ms, argv)
    if mode == "files" and len(head) == 4:
        cmd_files(label, target_ms, head[3], argv)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
