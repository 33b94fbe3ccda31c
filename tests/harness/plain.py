"""The sample site built twice: by faqkb, and as plain MkDocs + Material from the same Markdown.

The plain build is what MkDocs and Material produce for each page on their own; faqkb promises its
question pages are that, made smaller (site/compact.py) and drawn the same.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .site import build_site, check_content, project_config, write_config

from faqkb.site.build import PALETTE_CSS, render_site
from faqkb.site.engine import material_icon_svg
from faqkb.site.palette import palette
from faqkb.site.plugin import ASSETS, TEMPLATES
from faqkb.site.render import Contact, RenderOptions
from faqkb.site.scripts import SEARCH_SCRIPT, search_script

ROOT = Path(__file__).resolve().parents[2]


def faqkb_and_plain_sites(work: Path) -> tuple[Path, Path, dict[str, str]]:
    """(faqkb's site, the plain site, question id → the question's own HTML), built under `work`."""
    with_plugin = build_site(work / "faqkb-site")

    project = project_config()
    settings = project["plugins"][0]["faqkb"]
    options = RenderOptions(hot_count=settings["hot_questions"], contact=Contact(**settings["contact"]),
                            home_heading=settings["home_heading"], icon_svg=material_icon_svg)
    content, problems = check_content(ROOT / "faq", display_base=ROOT)
    built = render_site(content, problems, options)
    assert not built.has_errors
    docs = work / "docs"
    for page in built.pages:
        (docs / page.uri).parent.mkdir(parents=True, exist_ok=True)
        (docs / page.uri).write_text(page.markdown, encoding="utf-8")
    shutil.copytree(ASSETS, docs / "assets" / "faqkb")
    (docs / SEARCH_SCRIPT).write_text(search_script(), encoding="utf-8")
    (docs / PALETTE_CSS).write_text(palette(settings["brand_color"]).css, encoding="utf-8")
    search_folder = next(p for p in (with_plugin / "search").iterdir() if p.is_dir())
    plain = write_config(work / "plain.yml", docs_dir=str(docs), plugins=[], nav=built.navigation,
                         extra_css=["assets/faqkb/faqkb.css", PALETTE_CSS],
                         extra=dict(project["extra"], faqkb_search=f"search/{search_folder.name}/"),
                         theme=dict(project["theme"], custom_dir=str(TEMPLATES)))
    bodies = {page.uri.rsplit("/", 1)[-1][:-3]: page.body for page in built.questions}
    plain_site = build_site(work / "plain-site", plain)
    # its pages fetch faqkb's search files
    shutil.copytree(search_folder, plain_site / "search" / search_folder.name, dirs_exist_ok=True)
    return with_plugin, plain_site, bodies


