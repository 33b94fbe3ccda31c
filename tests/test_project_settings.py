"""faqkb's settings as the staff commands read them from mkdocs.yml (faqkb.staff.project)."""

from __future__ import annotations

import pytest

from faqkb.content.dates import UnknownTimezone
from faqkb.staff.project import plugin_settings, project_max_depth, project_timezone, project_today

MATERIAL_EMOJI = """site_name: 帮助中心
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
plugins:
  - search
  - faqkb:
      max_depth: 5
      timezone: Asia/Hong_Kong
"""


def config(tmp_path, text: str):
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def faqkb_config(tmp_path, options: str):
    return config(tmp_path, "site_name: 帮助中心\nplugins:\n  - faqkb:\n" + options)


def test_settings_are_read_past_material_python_tags(tmp_path):
    path = config(tmp_path, MATERIAL_EMOJI)
    assert plugin_settings(path) == {"max_depth": 5, "timezone": "Asia/Hong_Kong"}
    assert project_max_depth(path) == 5
    assert project_timezone(path) == "Asia/Hong_Kong"


@pytest.mark.parametrize("text", [
    "site_name: 帮助中心\n",  # no plugins
    "plugins:\n  - search\n  - faqkb\n",  # faqkb without options
    "plugins: [search]\n",
    "plugins:\n  - faqkb: [5]\n",  # options that are not a mapping
    "plugins: [\n",  # not YAML
    "- just\n- a list\n",  # not a mapping
    "plugins: faqkb\n",
])
def test_without_faqkb_options_the_settings_are_empty(tmp_path, text):
    assert plugin_settings(config(tmp_path, text)) == {}


def test_plugins_written_as_a_mapping_are_read_as_mkdocs_reads_them(tmp_path):
    path = config(tmp_path, "plugins:\n  search: {}\n  faqkb:\n    max_depth: 5\n")
    assert project_max_depth(path) == 5


def test_a_missing_mkdocs_yml_means_the_defaults(tmp_path):
    missing = tmp_path / "mkdocs.yml"
    assert plugin_settings(missing) == {}
    assert project_max_depth(missing) == 4
    assert project_timezone(missing) == "Asia/Shanghai"


@pytest.mark.parametrize("value", ["0", "-1", "'5'", "true", "2.5", "null", "[5]"])
def test_a_max_depth_that_is_no_positive_whole_number_means_four(tmp_path, value):
    assert project_max_depth(faqkb_config(tmp_path, f"      max_depth: {value}\n")) == 4


@pytest.mark.parametrize("value", ["''", "'   '", "8", "null", "[Asia/Shanghai]"])
def test_a_timezone_that_is_no_name_means_beijing(tmp_path, value):
    assert project_timezone(faqkb_config(tmp_path, f"      timezone: {value}\n")) == "Asia/Shanghai"


def test_an_unknown_timezone_name_is_refused_in_chinese_before_any_date_is_read(tmp_path):
    path = faqkb_config(tmp_path, "      timezone: Mars/Olympus\n")
    assert project_timezone(path) == "Mars/Olympus"  # passed on, so the error can name it
    with pytest.raises(UnknownTimezone, match="时区“Mars/Olympus”不存在"):
        project_today(path)
