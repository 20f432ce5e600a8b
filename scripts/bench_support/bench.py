"""Times whole commands, process start to exit, side by side in one run. Commands are
interleaved round by round, so a machine that slows down mid-run slows every command alike.
Peak memory per process comes from wait4's rusage; instruction counts (repeatable whatever the
machine is doing) from valgrind's callgrind, when valgrind is installed. Prints Markdown."""
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time


def run_once(command, cwd, expect):
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    code = os.waitstatus_to_exitcode(status)
    if code != expect:
        raise SystemExit(f"{command} exited {code}, expected {expect}")
    return elapsed, usage.ru_maxrss / 1024


def instructions(command, cwd):
    if not shutil.which("valgrind"):
        return None
    with tempfile.TemporaryDirectory() as folder:
        out = os.path.join(folder, "callgrind.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *command], cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        with open(out) as handle:
            match = re.search(r"^summary: (\d+)", handle.read(), re.M)
        return int(match.group(1)) if match else None


def compare(title, rows, runs, cwd=".", count_instructions=True):
    """rows: (label, command, expected exit code)."""
    times = {label: [] for label, _, _ in rows}
    peaks = {label: 0.0 for label, _, _ in rows}
    for label, command, expect in rows:  # one warm-up each: page cache, not a measurement
        run_once(command, cwd, expect)
    for _ in range(runs):
        for label, command, expect in rows:
            elapsed, peak = run_once(command, cwd, expect)
            times[label].append(elapsed)
            peaks[label] = max(peaks[label], peak)
    print(f"\n### {title}\n")
    print(f"{runs} rounds, the commands interleaved; process start to exit.\n")
    print("| command | median | min | peak RSS | instructions |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, command, _ in rows:
        count = instructions(command, cwd) if count_instructions else None
        counted = f"{count / 1e6:.1f} M" if count else "-"
        print(f"| {label} | {statistics.median(times[label]):.1f} ms | {min(times[label]):.1f} ms "
              f"| {peaks[label]:.1f} MiB | {counted} |")
    return {label: statistics.median(times[label]) for label in times}
