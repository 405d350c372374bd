"""Start a server of ours on a free 127.0.0.1 port in a subprocess, for tests that talk real HTTP."""

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def script(name: str) -> str:
    """A console script of the running interpreter's environment (openfisca, cn-assist)."""
    return str(Path(sys.executable).with_name(name))


@contextlib.contextmanager
def running_server(command: list[str], ready_path: str = "/entities", timeout_s: float = 30):
    """Run ``command`` (with ``{port}`` filled in) and yield its base URL once ``ready_path`` answers."""
    port = free_port()
    process = subprocess.Popen(
        [part.format(port=port) for part in command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                urllib.request.urlopen(base + ready_path, timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"{command[0]} exited with {process.returncode}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{command[0]} did not answer within {timeout_s} s")
                time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def post_json(url: str, payload, timeout: float = 30):
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def get_json(url: str, timeout: float = 10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())
