"""The MkDocs plugin: wires the steps into MkDocs' build events and nothing more."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import shutil
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import pipeline
from .problems import format_problems, summary
from .render import SLOT_ID, Contact, QuestionLayout, RenderOptions, slot_page

log = get_plugin_logger(__name__)
ASSETS = Path(__file__).parent / "assets"
TEMPLATES = Path(__file__).parent / "templates"


class ContactConfig(base.Config):
    chat_url = c.Type(str, default="")
    phone = c.Type(str, default="")
    email = c.Type(str, default="")
    hours = c.Type(str, default="")


class FaqConfig(base.Config):
    enabled = c.Type(bool, default=True)
    content_dir = c.Optional(c.Type(str))
    """Folder of FAQ YAML, relative to mkdocs.yml; defaults to `docs_dir`."""
    max_depth = c.Type(int, default=4)
    hot_questions = c.Type(int, default=10)
    home_heading = c.Type(str, default="您好，有什么可以帮您？")
    contact = c.SubConfig(ContactConfig)


class FaqPlugin(BasePlugin[FaqConfig]):
    """Generates the help site's pages from FAQ YAML."""

    supports_multiple_instances = False

    def __init__(self):
        self.command: str | None = None
        self.build: pipeline.Build | None = None
        self.search: pipeline.SearchJob | None = None
        self.final_site_dir: str | None = None

    def on_startup(self, *, command, dirty) -> None:
        """Remembers the command: only `mkdocs build` writes through a staging folder."""
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Runs first: loads, validates, links and renders, so a content error stops the build
        before MkDocs empties the previous site."""
        if not self.config.enabled:
            return None
        config_dir = Path(config.config_file_path or ".").parent
        content_dir = config_dir / self.config.content_dir if self.config.content_dir else Path(config.docs_dir)
        options = RenderOptions(
            directory_urls=config.use_directory_urls,
            hot_count=self.config.hot_questions,
            contact=Contact(**dict(self.config.contact)),
            home_heading=self.config.home_heading,
            icon_svg=material_icon_svg,
        )
        content, problems = pipeline.check(content_dir, display_base=config_dir, max_depth=self.config.max_depth,
                                           icon_exists=lambda name: material_icon_svg(name) is not None)
        warnings = [p for p in problems if not p.is_error]
        if any(p.is_error for p in problems) or (config.strict and warnings):
            raise PluginError("FAQ 内容有问题，站点没有生成（上一次生成的 site/ 保持不变）：\n"
                              + format_problems(problems) + "\n" + summary(problems))
        for problem in warnings:
            log.warning(problem.as_text())
        self.search = pipeline.SearchJob(content)  # indexes in other processes while the pages render here
        build = self.build = pipeline.render(content, problems, options)
        self.questions = [page for page in build.pages if page.kind == "question"]
        self.layout = None
        config.nav = build.navigation
        config.extra["faqkb_search"] = self.search.directory
        config.validation.nav.omitted_files = logging.DEBUG  # questions are reached from categories, not the nav
        config.theme.dirs.insert(_user_dirs(config), str(TEMPLATES))
        config.extra_css.insert(0, "assets/faqkb/faqkb.css")
        if self.command == "build":
            self.final_site_dir = config.site_dir
            config.site_dir = str(_staging_dir(config.site_dir))
            shutil.rmtree(config.site_dir, ignore_errors=True)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Replaces the YAML sources with the generated pages and the plugin's assets."""
        if not self.build:
            return files
        for file in list(files):
            if file.src_uri.endswith((".yml", ".yaml")):
                files.remove(file)
        for page in [p for p in self.build.pages if p.kind != "question"] + [slot_page()]:
            existing = files.get_file_from_path(page.uri)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, page.uri, content=page.markdown))
        self.slot_file = files.get_file_from_path(slot_page().uri)
        for asset in sorted(ASSETS.iterdir()):
            files.append(File.generated(config, f"assets/faqkb/{asset.name}", abs_src_path=str(asset)))
        return files

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        """Gives the sitemap (templates/sitemap.xml) the question pages, which are not MkDocs pages."""
        if template_name == "sitemap.xml" and self.build:
            slot = self.slot_file.page
            base = slot.canonical_url or slot.abs_url or ""
            context["faqkb_slot_url"] = base
            context["faqkb_questions"] = [
                (base.replace(SLOT_ID, entry.id), _lastmod(entry.updated))
                for entry in self.build.content.entries]
        return context

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str | None:
        if self.build and page.file is self.slot_file:
            self.layout = QuestionLayout(output)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes the question pages and the search files, then puts the finished site in place
        of the previous one (unless strict mode is about to abort)."""
        if self.build:
            self._write_questions(config)
        if self.search:
            job, self.search = self.search, None
            try:
                files = job.result()
            except Exception as error:
                cause = getattr(error, "__cause__", None)  # the worker's traceback, as text
                raise PluginError(f"搜索索引生成失败：{error!r}\n{cause or ''}") from error
            target = Path(config.site_dir) / job.directory
            for path, data in files.items():
                (target / path).parent.mkdir(parents=True, exist_ok=True)
                (target / path).write_bytes(data)
        if not self.final_site_dir:
            return
        staging, final = Path(config.site_dir), Path(self.final_site_dir)
        config.site_dir, self.final_site_dir = str(final), None
        if config.strict and _strict_warning_count():
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = final.with_name(f".{final.name}.faqkb-old")
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)

    def _write_questions(self, config: MkDocsConfig) -> None:
        if self.layout is None:
            raise PluginError("问题页面的模板没有生成（faqkb 的占位页面被其他插件或设置排除了？）")
        site = Path(config.site_dir)
        slot_dest = self.slot_file.dest_uri
        shutil.rmtree(site / Path(slot_dest).parent if config.use_directory_urls else site / slot_dest,
                      ignore_errors=True)
        entries = {entry.id: entry for entry in self.build.content.entries}
        for page in self.questions:
            entry_id = page.uri.rsplit("/", 1)[-1][:-3]
            target = site / slot_dest.replace(SLOT_ID, entry_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(self.layout.fill(page, entries[entry_id].id), encoding="utf-8")

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build removes its staging folder; the previous site stays untouched."""
        if self.search:
            self.search.cancel()
            self.search = None
        if self.final_site_dir:
            staging = _staging_dir(self.final_site_dir)
            shutil.rmtree(staging, ignore_errors=True)


def _staging_dir(site_dir: str) -> Path:
    final = Path(site_dir)
    return final.with_name(f".{final.name}.faqkb-new")


def _user_dirs(config: MkDocsConfig) -> int:
    """Index after the user's custom_dir, so a project's own overrides still win over ours."""
    return 1 if config.theme.custom_dir else 0


def _strict_warning_count() -> int:
    from mkdocs.utils import CountHandler

    handlers = [h for h in logging.getLogger("mkdocs").handlers if isinstance(h, CountHandler)]
    return sum(n for h in handlers for _, n in h.get_counts())


def _lastmod(updated) -> str:
    day = updated.date() if isinstance(updated, dt.datetime) else updated
    return day.isoformat() if isinstance(day, dt.date) else ""


@functools.lru_cache(maxsize=None)
def material_icon_svg(name: str) -> str | None:
    """The SVG of a Material for MkDocs icon such as `material/cart`, or None if there is none."""
    import material

    if not name or ".." in name or name.startswith("/"):
        return None
    path = Path(material.__file__).parent / "templates" / ".icons" / f"{name}.svg"
    return path.read_text(encoding="utf-8") if path.is_file() else None
