"""Times whole commands, process start to exit, side by side in one run; peak memory per process
from wait4's rusage. Prints a Markdown table."""
import os
import statistics
import subprocess
import sys
import time


def measure(command, runs, cwd, expect):
    times, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append((time.perf_counter() - start) * 1000)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        if code != expect:
            raise SystemExit(f"{command} exited {code}, expected {expect}")
    return statistics.median(times), min(times), max(peaks)


def table(title, rows, runs):
    print(f"\n### {title}\n")
    print(f"{runs} runs each, process start to exit.\n")
    print("| command | median | min | peak RSS |")
    print("| --- | ---: | ---: | ---: |")
    for label, (median, fastest, peak) in rows:
        print(f"| {label} | {median:.1f} ms | {fastest:.1f} ms | {peak:.1f} MiB |")
