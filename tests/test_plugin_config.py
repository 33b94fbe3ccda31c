"""The plugin's options in mkdocs.yml are checked when MkDocs reads them (issue #16: `hot_questions: -5`
was accepted), with the reason in Chinese and no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

CONFIG = "site_name: 帮助中心\ndocs_dir: faq\ntheme:\n  name: material\nplugins:\n  - faqkb:\n      {option}\n"


def write_project(tmp_path: Path, option: str) -> Path:
    (tmp_path / "faq").mkdir()
    (tmp_path / "mkdocs.yml").write_text(CONFIG.format(option=option), encoding="utf-8")
    return tmp_path / "mkdocs.yml"


@pytest.mark.parametrize("option, reason", [
    ("hot_questions: -5", "hot_questions 必须是大于等于 0 的整数"),
    ("hot_questions: 二十", "hot_questions 必须是大于等于 0 的整数"),
    ("max_depth: 0", "max_depth 必须是大于等于 1 的整数"),
    ("max_depth: true", "max_depth 必须是大于等于 1 的整数"),
])
def test_a_bad_number_in_the_plugin_options_is_refused_with_the_reason(tmp_path, cap_log, option, reason):
    config_file = write_project(tmp_path, option)
    with pytest.raises(Abort):
        load_config(config_file=str(config_file))
    assert any(reason in message for message in cap_log.messages())


@pytest.mark.parametrize("option", ["hot_questions: 0", "hot_questions: 10", "max_depth: 1", "max_depth: 6"])
def test_good_numbers_are_accepted(tmp_path, option):
    config = load_config(config_file=str(write_project(tmp_path, option)))
    name, value = option.split(": ")
    assert config.plugins["faqkb"].config[name] == int(value)


@pytest.mark.slow
def test_mkdocs_build_stops_on_a_negative_hot_questions_without_a_traceback(tmp_path):
    write_project(tmp_path, "hot_questions: -5")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=tmp_path, capture_output=True,
                            encoding="utf-8", env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=120)
    assert result.returncode != 0
    assert "hot_questions 必须是大于等于 0 的整数" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
