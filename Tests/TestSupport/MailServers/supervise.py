#!/usr/bin/python3
"""Runs a server that ignores its standard input (Dovecot) until this script's standard input closes, then stops it:
so the server never outlives the test process that started it, even one that crashes.

The server starts with no signal blocked or ignored: a mask inherited from a test runner's thread would keep
Dovecot's master from ever reaping its login processes."""
import os
import signal
import subprocess
import sys

signal.pthread_sigmask(signal.SIG_SETMASK, [])
for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
    signal.signal(number, signal.SIG_DFL)
server = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
sys.stdin.buffer.read()
server.terminate()
try:
    server.wait(timeout=10)
except subprocess.TimeoutExpired:
    server.kill()
    server.wait()
