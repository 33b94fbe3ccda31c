"""faqkb.site.engine, the one module that touches MkDocs and Material: plain calls, no build."""

from __future__ import annotations

import logging
from pathlib import Path

import jinja2
import material
import pytest
from mkdocs.utils import CountHandler

from faqkb.site.engine import MemoryBytecodeCache, material_icon_svg, strict_warning_count

ICONS = Path(material.__file__).parent / "templates" / ".icons"


def test_a_material_icon_is_its_svg():
    svg = material_icon_svg("material/cart")
    assert svg.startswith("<svg") and svg == (ICONS / "material" / "cart.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["material/no-such-icon", "material/cart.svg", "material", "", "cart"])
def test_an_unknown_icon_is_none(name):
    assert material_icon_svg(name) is None


@pytest.mark.parametrize("name", [
    "material/../fontawesome/brands/github",  # climbs out of its set into a file that exists
    "../.icons/material/cart",
    str(ICONS / "material" / "cart"),  # an absolute path to a file that exists
])
def test_a_name_that_walks_the_file_system_is_refused(name):
    path = Path(name) if name.startswith("/") else ICONS / name
    assert path.with_name(path.name + ".svg").is_file()  # the trick would reach a real file
    assert material_icon_svg(name) is None


@pytest.fixture
def mkdocs_counter():
    """MkDocs' warning counter, installed as `mkdocs build` installs it in strict mode."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    yield counter
    logging.getLogger("mkdocs").removeHandler(counter)


def test_no_counter_means_no_strict_warnings():
    assert strict_warning_count() == 0


def test_warnings_counted_by_mkdocs_are_counted(mkdocs_counter, cap_log):
    log = logging.getLogger("mkdocs.plugins.faqkb")
    log.info("不算")
    assert strict_warning_count() == 0
    log.warning("一")
    logging.getLogger("mkdocs.structure.pages").warning("二")
    log.error("三")
    assert strict_warning_count() == 3
    assert cap_log.messages() == ["一", "二", "三"]


class CountingEnvironment(jinja2.Environment):
    compiled = 0

    def compile(self, *args, **kwargs):
        type(self).compiled += 1
        return super().compile(*args, **kwargs)


def environment(cache, source: str) -> CountingEnvironment:
    return CountingEnvironment(loader=jinja2.DictLoader({"page.html": source}), bytecode_cache=cache)


def test_compiled_templates_are_reused_by_the_next_rebuild():
    cache = MemoryBytecodeCache()
    CountingEnvironment.compiled = 0
    first = environment(cache, "<h1>{{ title }}</h1>").get_template("page.html").render(title="退款")
    assert CountingEnvironment.compiled == 1 and cache.store

    again = environment(cache, "<h1>{{ title }}</h1>").get_template("page.html").render(title="退款")
    assert again == first == "<h1>退款</h1>"
    assert CountingEnvironment.compiled == 1  # loaded from the cache, not compiled again


def test_an_edited_template_is_compiled_again():
    cache = MemoryBytecodeCache()
    CountingEnvironment.compiled = 0
    environment(cache, "<h1>{{ title }}</h1>").get_template("page.html").render(title="退款")
    edited = environment(cache, "<h2>{{ title }}</h2>").get_template("page.html").render(title="退款")
    assert edited == "<h2>退款</h2>" and CountingEnvironment.compiled == 2
