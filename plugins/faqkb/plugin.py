"""The MkDocs plugin: wires the steps into MkDocs' build events and nothing more."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import logging
import shutil
import threading
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from . import pipeline
from .dates import DEFAULT_TIMEZONE, UnknownTimezone, shop_today
from .model import QUESTION_DIR, Content
from .problems import format_problems, preview_notice, summary
from .render import SLOT_ID, Contact, QuestionLayout, RenderOptions, slot_page

log = get_plugin_logger(__name__)
PREVIEW_SEARCH = "search/preview/"
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
    timezone = c.Type(str, default=DEFAULT_TIMEZONE)
    """The shop's IANA time zone: "today" for checking `updated` dates (CI runners keep UTC)."""


class FaqPlugin(BasePlugin[FaqConfig]):
    """Generates the help site's pages from FAQ YAML."""

    supports_multiple_instances = False

    def __init__(self):
        self.command: str | None = None
        self.build: pipeline.Build | None = None
        self.search: pipeline.SearchJob | None = None
        self.search_directory = ""  # what the pages point at
        self.search_key = ""  # the search folder named after the content
        self.final_site_dir: str | None = None
        # Kept across the live preview's rebuilds (MkDocs keeps plugins that have on_startup):
        self.last_good: tuple[pipeline.Build, str] | None = None  # served again while the content has errors
        self.answer_cache: dict = {}
        self.search_files: dict[str, dict[str, bytes]] = {}  # content's search key → files, the latest only
        self.template_cache = _MemoryBytecodeCache()
        self.preview = _PreviewFiles()
        self.question_writer: _Background | None = None
        self.search_side: Path | None = None

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
        try:
            today = shop_today(self.config.timezone)
        except UnknownTimezone as error:
            raise PluginError(f"mkdocs.yml 里 faqkb 的 timezone 设置不对：{error}") from None
        content, problems = pipeline.check(content_dir, display_base=config_dir, max_depth=self.config.max_depth,
                                           today=today, icon_exists=lambda name: material_icon_svg(name) is not None)
        warnings = [p for p in problems if not p.is_error]
        preview = self.command == "serve"
        if any(p.is_error for p in problems) or (config.strict and warnings):
            report = format_problems(problems) + "\n" + summary(problems)
            if not preview:
                raise PluginError(f"FAQ 内容有问题，站点没有生成（上一次生成的 site/ 保持不变）：\n{report}")
            # A half-typed edit must not stop the preview: it shows the last good content (or, before
            # there is any, an empty help site) with the problems listed above every page.
            config.extra["faqkb_problems"] = preview_notice(problems, showing_last_good=bool(self.last_good))
            if self.last_good:
                log.error(f"FAQ 内容有问题，预览仍显示上一次没有错误的内容。改好后会自动更新：\n{report}")
                self.build, self.search_key = self.last_good
            else:
                log.error(f"FAQ 内容有问题，预览先只列出这些问题。改好后会自动更新：\n{report}")
                self.build, self.search_key = pipeline.render(Content(content.root), [], options), ""
            self.search = None
        else:
            config.extra.pop("faqkb_problems", None)
            for problem in warnings:
                log.warning(problem.as_text())
            self.search_key = pipeline.search_directory(content)
            self.search_files = {k: v for k, v in self.search_files.items() if k == self.search_key}
            self.search = None
            if self.search_key not in self.search_files and self.preview.search_key != self.search_key:
                # Indexes in other processes while the pages render here; the preview leaves a core
                # to MkDocs, so that the page the writer is looking at comes back first. A build's
                # worker writes the files itself, beside the site (MkDocs empties the site folder).
                self.search_side = _side_dir(config.site_dir) if self.command == "build" else None
                if self.search_side:
                    shutil.rmtree(self.search_side, ignore_errors=True)
                self.search = pipeline.SearchJob(
                    content, processes=1 if preview else None,
                    write_to=self.search_side / self.search_key if self.search_side else None)
            self.build = pipeline.render(content, problems, options, self.answer_cache)
            self.last_good = (self.build, self.search_key)
        # The preview's pages point at a fixed folder, so that an edit changes only its own pages.
        self.search_directory = (PREVIEW_SEARCH if self.search_key else "") if preview else self.search_key
        build = self.build
        self.questions = [page for page in build.pages if page.kind == "question"]
        self.layout = None
        config.nav = build.navigation
        config.extra["faqkb_search"] = self.search_directory
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
        # The layout page first: the question pages are written while MkDocs renders the others.
        return Files([self.slot_file] + [file for file in files if file is not self.slot_file])

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """The preview keeps the question pages and search files out of MkDocs' cleaning of the site,
        to write again only what an edit changed."""
        if self.build and self.command == "serve":
            self.preview.hold(Path(config.site_dir))

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        """Compiled templates are kept across the live preview's rebuilds (checked against their source)."""
        env.bytecode_cache = self.template_cache
        return env

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
            if self.command != "serve":
                self.question_writer = _Background(
                    lambda site: pipeline.write_files(site, self._question_pages()), Path(config.site_dir))
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes the question pages and the search files, then puts the finished site in place
        of the previous one (unless strict mode is about to abort)."""
        if self.build:
            self._finish_questions(config)
        if self.command == "serve":
            self._preview_search(Path(config.site_dir))
        elif self.search:
            job, self.search = self.search, None
            try:
                job.result()
            except Exception as error:
                raise PluginError(_search_failure(error)) from error
            target = Path(config.site_dir) / self.search_directory
            target.parent.mkdir(parents=True, exist_ok=True)
            (self.search_side / self.search_key).rename(target)
            shutil.rmtree(self.search_side, ignore_errors=True)
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

    def _preview_search(self, site: Path) -> None:
        self.preview.restore(site)
        if self.preview.search_key == self.search_key:
            return
        if self.search_key in self.search_files:
            self.preview.write_search(site, self.search_key, self.search_files[self.search_key])
        elif self.search:
            # The preview reloads the browser as soon as the pages are written; the search files
            # follow when the worker is done (a second or two on a thousand questions).
            job, self.search = self.search, None
            self.preview.job = job
            threading.Thread(target=self._write_search_later, args=(job, site), daemon=True).start()

    def _write_search_later(self, job: pipeline.SearchJob, site: Path) -> None:
        try:
            files = job.result()
        except Exception as error:
            if not self.preview.closed:
                log.error(_search_failure(error))
            return
        self.search_files = {job.directory: files}
        if self.search_key == job.directory:  # else a newer rebuild has its own job
            self.preview.write_search(site, job.directory, files)

    def _finish_questions(self, config: MkDocsConfig) -> None:
        if self.layout is None:
            raise PluginError("问题页面的模板没有生成（faqkb 的占位页面被其他插件或设置排除了？）")
        site = Path(config.site_dir)
        slot_dest = self.slot_file.dest_uri
        if config.use_directory_urls:
            shutil.rmtree((site / slot_dest).parent, ignore_errors=True)
        else:
            (site / slot_dest).unlink(missing_ok=True)
        if self.command == "serve":
            self.preview.write_pages(site, self._question_pages())
        else:
            writer, self.question_writer = self.question_writer, None
            writer.result()

    def _question_pages(self) -> dict[str, str]:
        """Site path → HTML of every question page."""
        slot_dest = self.slot_file.dest_uri
        pages = {}
        for page in self.questions:
            entry_id = page.uri.rsplit("/", 1)[-1][:-3]
            pages[slot_dest.replace(SLOT_ID, entry_id)] = self.layout.fill(page, entry_id)
        return pages

    def on_shutdown(self) -> None:
        if self.search:
            self.search.cancel()
            self.search = None
        self.preview.close()

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build removes its staging folder; the previous site stays untouched."""
        if self.search:
            self.search.cancel()
            self.search = None
        if self.search_side:
            shutil.rmtree(self.search_side, ignore_errors=True)
        if self.question_writer:
            self.question_writer.wait()
            self.question_writer = None
        if self.final_site_dir:
            shutil.rmtree(_staging_dir(self.final_site_dir), ignore_errors=True)


class _PreviewFiles:
    """The live preview's question pages and search files, kept across rebuilds.

    MkDocs empties the site folder before every rebuild. The question folder and the search folder
    are moved aside before that and back after it, and only pages whose HTML changed are written:
    an edit to one answer rewrites a handful of files instead of every question page.
    """

    def __init__(self):
        self.lock = threading.Lock()  # the search files arrive from another thread
        self.pages: dict[str, str] = {}  # page path → HTML on disk
        self.search_key: str | None = None  # whose search files are on disk
        self.aside: Path | None = None
        self.closed = False  # MkDocs is removing the preview's site: write nothing more
        self.job: pipeline.SearchJob | None = None  # the search files on their way

    def hold(self, site: Path) -> None:
        with self.lock:
            self.aside = site.with_name(site.name + ".faqkb-preview")
            shutil.rmtree(self.aside, ignore_errors=True)
            for folder in (QUESTION_DIR, PREVIEW_SEARCH):
                if (site / folder).is_dir():
                    (self.aside / folder).parent.mkdir(parents=True, exist_ok=True)
                    (site / folder).rename(self.aside / folder)

    def restore(self, site: Path) -> None:
        with self.lock:
            for folder in (QUESTION_DIR, PREVIEW_SEARCH):
                if self.aside and (self.aside / folder).is_dir() and not (site / folder).exists():
                    (site / folder).parent.mkdir(parents=True, exist_ok=True)
                    (self.aside / folder).rename(site / folder)
            if not (site / PREVIEW_SEARCH).is_dir():
                self.search_key = None

    def write_pages(self, site: Path, pages: dict[str, str]) -> None:
        if self.aside and (self.aside / QUESTION_DIR).is_dir():
            shutil.rmtree(site / QUESTION_DIR, ignore_errors=True)  # holds only the layout page's folder
        self.restore(site)
        if not (site / QUESTION_DIR).is_dir():
            self.pages = {}
        for dest in set(self.pages) - set(pages):
            (site / dest).unlink(missing_ok=True)
            with contextlib.suppress(OSError):  # the page's own folder, once empty (directory URLs)
                (site / dest).parent.rmdir()
        pipeline.write_files(site, {dest: text for dest, text in pages.items() if self.pages.get(dest) != text})
        self.pages = pages

    def write_search(self, site: Path, key: str, files: dict[str, bytes]) -> None:
        with self.lock:
            if self.closed:
                return
            target = site / PREVIEW_SEARCH
            fresh, old = target.with_name(".preview-new"), target.with_name(".preview-old")
            try:
                shutil.rmtree(fresh, ignore_errors=True)
                pipeline.write_files(fresh, files)
                if target.exists():
                    target.rename(old)
                fresh.rename(target)
                shutil.rmtree(old, ignore_errors=True)
                self.search_key = key
            except OSError:
                self.search_key = None  # the site was emptied meanwhile; the next rebuild writes them

    def close(self) -> None:
        self.closed = True
        if self.job:
            self.job.cancel()
        with self.lock:  # waits for a write in progress
            if self.aside:
                shutil.rmtree(self.aside, ignore_errors=True)


class _Background:
    """A function running in a thread; result() waits and raises what it raised."""

    def __init__(self, function, *args):
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function, args) -> None:
        try:
            function(*args)
        except BaseException as error:  # handed to the build's thread by result()
            self._error = error

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def _search_failure(error: Exception) -> str:
    cause = getattr(error, "__cause__", None)  # the worker's traceback, as text
    return f"搜索索引生成失败：{error!r}\n{cause or ''}"


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self):
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _side_dir(site_dir: str) -> Path:
    """Beside the site folder: where a build's search worker writes its files."""
    site = Path(site_dir)
    return site.with_name(f".{site.name}.faqkb-search")


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
