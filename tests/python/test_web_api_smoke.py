"""`openfisca serve --country-package openfisca_cn_assist` works: real HTTP on 127.0.0.1."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "openfisca_cn_assist" / "situation_examples" / "xishuangbanna_rural_class.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    openfisca = Path(sys.executable).with_name("openfisca")
    process = subprocess.Popen(
        [str(openfisca), "serve", "--country-package", "openfisca_cn_assist", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/entities", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("openfisca serve did not start within 30 s")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_entities_spec_and_parameter_provenance(server):
    assert set(get(server + "/entities")) == {"person", "household"}
    assert "SituationInput" in json.dumps(get(server + "/spec"))
    parameter = get(server + "/parameter/dibao/standard_rural/xishuangbanna")
    assert parameter["metadata"]["confidence"] == "H"


def test_calculate_example(server):
    request = urllib.request.Request(
        server + "/calculate", data=EXAMPLE.read_bytes(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = json.loads(response.read())
    # 勐腊县 rural class method: A 460 + B 310 + B 310 = 1080
    assert result["households"]["household"]["dibao_benefit"]["2022-08"] == 1080
