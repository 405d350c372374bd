"""The cn-assist command line, run in-process."""

import json
import re

from openfisca_cn_assist.cli.main import main


def test_calculate_builtin_example(capsys):
    assert main(["calculate"]) == 0
    out = capsys.readouterr().out
    # 勐腊县 rural, 2022-08: countable 600 − 50 (education, deducted) = 550 (the 103 basic pension is excluded);
    # 550 / 3 = 183.33 < 5400 / 12 = 450 → eligible; class A 460 + B 310 + B 310 = 1080
    assert "183.33" in out and "1,080.00" in out
    assert "inherited from 西双版纳傣族自治州 (xishuangbanna)" in out


def test_calculate_file_with_period(tmp_path, capsys):
    situation = {
        "persons": {"p": {"age": {"2025-03": 57}, "has_able_supporter": {"2025-03": False}}},
        "households": {
            "h": {"members": ["p"], "jurisdiction": {"ETERNITY": "qinghai"}, "hardship_area_class": {"2025-03": 5}}
        },
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(situation))
    assert main(["calculate", str(path), "--period", "2025-03"]) == 0
    assert re.search(r"tekun_basic_allowance\s+1,050.00", capsys.readouterr().out)


def test_calculate_reports_missing_standard_as_not_computed(tmp_path, capsys):
    situation = {
        "persons": {"p": {}},
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": "hanzhong"}}},
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(situation))
    assert main(["calculate", str(path), "--period", "2022-08"]) == 0
    out = capsys.readouterr().out
    assert "Not computed" in out and "dibao.standard_urban" in out and "dibao_benefit:" in out


def test_calculate_rejects_unknown_jurisdiction(tmp_path, capsys):
    situation = {
        "persons": {"p": {}},
        "households": {"h": {"members": ["p"], "jurisdiction": {"ETERNITY": "atlantis"}}},
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(situation))
    assert main(["calculate", str(path), "--period", "2022-08"]) == 2
    assert "atlantis" in capsys.readouterr().err


def test_assumed_values_command(capsys):
    assert main(["assumed-values"]) == 0
    assert "income.employment_cost_rate.qinghai = 0.3" in capsys.readouterr().out
