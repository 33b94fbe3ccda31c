"""The project a staff command runs in: faqkb's settings from mkdocs.yml, and the content checked
the way the build checks it (same depth, same "today")."""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from ..content.check import check
from ..content.dates import DEFAULT_TIMEZONE, parse_day, shop_today


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml even where it uses tags such as !!python/name (Material's emoji settings)."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_settings(config_file: Path) -> dict:
    """The faqkb plugin's options from mkdocs.yml, or {} where there are none."""
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    except (OSError, yaml.YAMLError):
        return {}
    plugins = config.get("plugins") if isinstance(config, dict) else None
    if isinstance(plugins, dict):  # MkDocs takes a mapping of name → options as well as a list
        plugins = [plugins]
    for plugin in plugins if isinstance(plugins, list) else []:
        if isinstance(plugin, dict) and isinstance(plugin.get("faqkb"), dict):
            return plugin["faqkb"]
    return {}


def whole_number(minimum: int = 0):
    """An argparse type: a whole number of at least `minimum`, with the error in Chinese."""

    def parse(text: str) -> int:
        value = int(text) if text.strip().isdecimal() else -1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"“{text}”不是大于等于 {minimum} 的整数")
        return value

    return parse


def day(text: str):
    """An argparse type: a date written YYYY-MM-DD, with the error in Chinese."""
    try:
        return parse_day(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def project_timezone(config_file: Path | str = "mkdocs.yml") -> str:
    """The shop's time zone: the faqkb plugin's timezone in mkdocs.yml, else Asia/Shanghai."""
    zone = plugin_settings(Path(config_file)).get("timezone")
    return zone if isinstance(zone, str) and zone.strip() else DEFAULT_TIMEZONE


def project_today(config_file: Path | str = "mkdocs.yml"):
    """Today's date in the shop's time zone (validate, stats and new all date things by it)."""
    return shop_today(project_timezone(config_file))


def project_max_depth(config_file: Path | str = "mkdocs.yml") -> int:
    """How many levels the site allows: the faqkb plugin's max_depth in mkdocs.yml, else 4.

    Every command checks content against it, so none rejects (or accepts) what the build would not.
    """
    depth = plugin_settings(Path(config_file)).get("max_depth")
    return depth if isinstance(depth, int) and not isinstance(depth, bool) and depth > 0 else 4


def check_project(content_dir: Path | str, today=None):
    """check() as the commands run it: paths shown from the working folder, the site's depth,
    today in the shop's time zone."""
    return check(content_dir, display_base=Path.cwd(), max_depth=project_max_depth(),
                          today=today or project_today())
