#!/usr/bin/env python3
"""Runs a command under a time and address-space limit.

    run_limited.py [--timeout SECONDS] [--memory BYTES] -- COMMAND...

For inputs that make a tool allocate without bound or loop: the test then
fails quickly instead of taking the machine down. The child's exit status is
passed on; a child killed by a signal kills this process with the same
signal (so that `not` still reports a crash), and a timeout exits with 124.
"""
import argparse
import os
import resource
import signal
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory", type=int, default=4 << 30)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))

    try:
        proc = subprocess.run(command, preexec_fn=limit, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        sys.stderr.write("run_limited.py: timed out after %gs: %s\n" %
                         (args.timeout, " ".join(command)))
        return 124
    if proc.returncode < 0:
        sys.stderr.flush()
        signal.signal(-proc.returncode, signal.SIG_DFL)
        os.kill(os.getpid(), -proc.returncode)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
