"""One build of the help site, step by step: check → render (search in a worker) → write → swap in.

plugin.py calls these steps from MkDocs' events; nothing here imports MkDocs. A build of
`mkdocs build` holds the site's lock from its first step to its last and writes into staging
folders of its own (staging.py), its search worker beside them; the live preview (`mkdocs serve`) keeps its question pages and search files across rebuilds
(preview.py) and, while the content has errors, shows the last good content with the problems
listed on every page.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..content.check import check
from ..content.link import Links, link
from ..content.model import Content
from ..content.problems import Problem, format_problems, preview_notice, summary
from ..content.publish import published
from ..files import write_files
from ..search.job import SearchJob, search_folder
from . import staging
from .layout import SLOT_ID, QuestionLayout, slot_page
from .palette import palette
from .preview import PREVIEW_SEARCH, PreviewFiles
from .render import Page, RenderOptions, navigation, redirect_pages, render_pages
from .scripts import site_scripts

DEFAULT_BRAND = "#c2410c"  # an orange that carries white text and reads on white at 5.2:1
PALETTE_CSS = "assets/faqkb/palette.css"


UNWALKABLE = {"FAQ208"}  # symbolic links MkDocs would follow out of the content or round in a loop


class ContentError(Exception):
    """The build stops: the content has errors (the message lists them, for staff)."""


@dataclass
class RenderedSite:
    """Checked content and, unless it has errors, its links, pages and navigation."""

    content: Content
    problems: list[Problem]
    links: Links | None = None
    pages: list[Page] = field(default_factory=list)
    navigation: list = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)  # old URLs of renamed entries: site path → HTML

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    @property
    def questions(self) -> list[Page]:
        return [page for page in self.pages if page.kind == "question"]


def render_site(content: Content, problems: list[Problem], options: RenderOptions | None = None,
                answer_cache: dict | None = None, site_url: str = "") -> RenderedSite:
    """Link and render checked content (nothing, if the problems include errors)."""
    result = RenderedSite(content, problems)
    if result.has_errors:
        return result
    options = options or RenderOptions()
    result.links = link(content.entries)
    result.pages = render_pages(content, result.links, options, answer_cache)
    result.navigation = navigation(content)
    result.redirects = redirect_pages(content, options.directory_urls, site_url)
    return result


@dataclass
class Settings:
    """What a build needs to know, read from mkdocs.yml by the plugin."""

    content_dir: Path
    display_base: Path  # file names in problems are shown relative to it (mkdocs.yml's folder)
    site_dir: Path
    today: dt.date
    options: RenderOptions
    max_depth: int = 4
    strict: bool = False
    command: str = "build"  # MkDocs' command: build, serve or gh-deploy
    icon_exists: object = None  # name → bool, for FAQ204
    site_url: str = ""  # absolute URLs (canonical links of redirect pages), when mkdocs.yml has one
    brand_color: str = DEFAULT_BRAND  # the shop's colour: header, links, buttons (palette.py)

    @property
    def preview(self) -> bool:
        return self.command == "serve"


class Session:
    """What the live preview keeps from one rebuild to the next (a build uses it once)."""

    def __init__(self, log: logging.Logger):
        self.log = log
        self.last_good: tuple[RenderedSite, str] | None = None  # served again while the content has errors
        self.answer_cache: dict = {}  # rendered answers, reused when unchanged
        self.parsed_files: dict = {}  # parsed content files, reused when unchanged (load_content)
        self.search_files: dict[str, dict[str, bytes]] = {}  # content's search folder → files, the latest only
        self.preview = PreviewFiles()
        self._empty: tempfile.TemporaryDirectory | None = None

    def close(self, build: SiteBuild | None) -> None:
        """At the end of MkDocs' command: stops a search worker still running, removes what the session kept."""
        if build:
            build.cancel_search()
        self.preview.close()
        if self._empty is not None:
            self._empty.cleanup()
            self._empty = None

    def empty_folder(self) -> Path:
        """An empty folder, kept while the session lasts."""
        if self._empty is None:
            self._empty = tempfile.TemporaryDirectory(prefix="faqkb-empty-")
        return Path(self._empty.name)


class SiteBuild:
    """One build (or one rebuild of the preview), from its settings to the finished site."""

    def __init__(self, settings: Settings, session: Session):
        self.settings = settings
        self.session = session
        self.site: RenderedSite | None = None
        self.search_key = ""  # the search folder named after the content ("" while it has errors)
        self.search_job: SearchJob | None = None
        self.search_side: Path | None = None  # where the build's search worker writes
        self.notice: dict | None = None  # the preview's list of problems, shown on every page
        self.staging: Path | None = None  # the folder MkDocs writes into, swapped in at the end
        self.folders: staging.BuildFolders | None = None  # this build's staging, search and old-site folders
        self.lock: staging.SiteLock | None = None  # held from start() to the swap (builds, not the preview)
        self.layout: QuestionLayout | None = None
        self.question_writer: _Background | None = None
        self.palette = palette(settings.brand_color)
        self.unwalkable = False  # the content has a symbolic link MkDocs must not walk (FAQ208)
        self.restore: dict[str, str] = {}  # MkDocs settings to put back after the build

    # -- on_config ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Check the content, start indexing it, render its pages; a content error stops a build
        here, before MkDocs empties the previous site (the preview carries on, see _show_problems).
        A build first waits for any other build of the same site to finish."""
        try:
            self._start()
        except BaseException:
            self.abort()
            raise

    def _start(self) -> None:
        settings = self.settings
        for problem in self.palette.problems:
            self.session.log.warning(problem)
        if not settings.preview:
            self._lock_site()
        content, problems = check(settings.content_dir, display_base=settings.display_base,
                                  max_depth=settings.max_depth, today=settings.today,
                                  icon_exists=settings.icon_exists,
                                  parsed_files=self.session.parsed_files if settings.preview else None)
        warnings = [p for p in problems if not p.is_error]
        self.unwalkable = any(p.code in UNWALKABLE for p in problems)
        if any(p.is_error for p in problems) or (settings.strict and warnings):
            self._show_problems(content, problems)
            return
        for problem in warnings:
            self.session.log.warning(problem.as_text())
        self.search_key = search_folder(content)
        shown = content if settings.preview else published(content)  # the preview shows drafts too
        self._start_search(shown)
        # Only the preview renders again: a build keeps no rendered answers for later.
        answers = self.session.answer_cache if settings.preview else None
        self.site = render_site(shown, problems, settings.options, answers, settings.site_url)
        self.session.last_good = (self.site, self.search_key)
        if self.folders:
            self.staging = self.folders.staging

    def _lock_site(self) -> None:
        self.lock = staging.SiteLock(self.settings.site_dir)
        try:
            self.lock.acquire(on_wait=self.session.log.info)
        except staging.SiteBusy as busy:
            self.lock = None
            raise ContentError(str(busy)) from None
        staging.remove_stale(self.settings.site_dir)
        if self.settings.command == "build":
            self.folders = staging.BuildFolders.new(self.settings.site_dir)

    def _show_problems(self, content: Content, problems: list[Problem]) -> None:
        report = format_problems(problems) + "\n" + summary(problems)
        if not self.settings.preview:
            raise ContentError(f"FAQ 内容有问题，站点没有生成（上一次生成的 site/ 保持不变）：\n{report}")
        # A half-typed edit must not stop the preview: it shows the last good content (or, before
        # there is any, an empty help site) with the problems listed above every page.
        last_good = self.session.last_good
        self.notice = preview_notice(problems, showing_last_good=bool(last_good))
        if last_good:
            self.session.log.error(f"FAQ 内容有问题，预览仍显示上一次没有错误的内容。改好后会自动更新：\n{report}")
            self.site, self.search_key = last_good
        else:
            self.session.log.error(f"FAQ 内容有问题，预览先只列出这些问题。改好后会自动更新：\n{report}")
            self.site = render_site(Content(content.root), [], self.settings.options)

    def _start_search(self, content: Content) -> None:
        """Indexes in another process while the pages render here, unless the files are at hand."""
        session = self.session
        session.search_files = {k: v for k, v in session.search_files.items() if k == self.search_key}
        if self.search_key in session.search_files or session.preview.search_key == self.search_key:
            return
        # A build's worker writes the files itself, beside the site.
        if self.folders:
            self.search_side = self.folders.search
        self.search_job = SearchJob(content, write_to=self.search_side / self.search_key if self.search_side else None)

    def config_changes(self, docs_dir: str) -> dict[str, str]:
        """What MkDocs' config must say for this build: the staging folder to write into; and, in
        the preview, while a symbolic link in the content leaves it or loops, an empty docs_dir
        (MkDocs walks docs_dir following every link: a link to / would keep it walking the disk)."""
        changes = {"site_dir": str(self.staging)} if self.staging else {}
        if self.unwalkable and self.settings.preview:
            self.restore = {"docs_dir": docs_dir}
            changes["docs_dir"] = str(self.session.empty_folder())
        return changes

    def config_restored(self) -> dict[str, str]:
        """The settings config_changes() replaced for the build only (the preview watches docs_dir)."""
        return self.restore

    @property
    def search_url(self) -> str:
        """The search folder the pages point at: the preview's is fixed, so an edit changes only its own pages."""
        if self.settings.preview:
            return PREVIEW_SEARCH if self.search_key else ""
        return self.search_key

    # -- on_files ----------------------------------------------------------------------------------
    def generated_pages(self) -> list[Page]:
        """The pages MkDocs renders: the layout page of every question first, then all but the questions."""
        return [slot_page()] + [page for page in self.site.pages if page.kind != "question"]

    def generated_assets(self, analytics: bool = False) -> dict[str, str]:
        """Site path → text of the files faqkb writes besides its pages: colours and scripts."""
        assets = site_scripts(analytics)
        if self.palette.css:
            assets[PALETTE_CSS] = self.palette.css
        return assets

    # -- on_post_page ------------------------------------------------------------------------------
    def layout_rendered(self, output: str, site_dir: Path, slot_dest: str) -> None:
        """The theme's output for the layout page: a build starts writing the question pages now,
        while MkDocs renders the other pages."""
        self.layout = QuestionLayout(output, slot_dest)
        if not self.settings.preview:
            self.question_writer = _Background(lambda: write_files(site_dir, self.question_pages(slot_dest)))

    def question_pages(self, slot_dest: str) -> Iterator[tuple[str, str]]:
        """(site path, HTML) of every question page, of the files their layout points at, and of the
        redirects from renamed entries' old URLs; one at a time, so that a build writes each page
        as soon as it is filled instead of holding every page's HTML at once."""
        yield from self.layout.files.items()
        yield from self.site.redirects.items()
        for page in self.site.questions:
            entry_id = page.uri.rsplit("/", 1)[-1][:-3]
            yield slot_dest.replace(SLOT_ID, entry_id), self.layout.fill(page, entry_id)

    # -- on_post_build -----------------------------------------------------------------------------
    def finish(self, site_dir: Path, slot_dest: str, directory_urls: bool, strict_failed: bool) -> Path:
        """Writes the question pages and the search files, then puts the finished site in place of
        the previous one (unless strict mode is about to abort). Returns the final site folder."""
        if self.layout is None:
            raise ContentError("问题页面的模板没有生成（faqkb 的占位页面被其他插件或设置排除了？）")
        self._remove_layout_page(site_dir, slot_dest, directory_urls)
        if self.settings.preview:
            self.session.preview.write_pages(site_dir, dict(self.question_pages(slot_dest)))
            self._preview_search(site_dir)
            return site_dir
        writer, self.question_writer = self.question_writer, None
        try:
            writer.result()
            self._write_search(site_dir)
            if self.folders is None:
                return site_dir
            final = self.settings.site_dir
            if strict_failed:
                self.folders.discard()
            else:
                staging.swap_in(self.folders, final)
            self.staging = self.folders = None
            return final
        finally:
            self._unlock()

    @staticmethod
    def _remove_layout_page(site_dir: Path, slot_dest: str, directory_urls: bool) -> None:
        if directory_urls:
            shutil.rmtree((site_dir / slot_dest).parent, ignore_errors=True)
        else:
            (site_dir / slot_dest).unlink(missing_ok=True)

    def _write_search(self, site_dir: Path) -> None:
        job, self.search_job = self.search_job, None
        if job is None:
            return
        try:
            files = job.result()
        except Exception as error:
            raise ContentError(search_failure(error)) from error
        target = site_dir / self.search_url
        target.parent.mkdir(parents=True, exist_ok=True)
        if self.search_side:
            (self.search_side / self.search_key).rename(target)
            staging.discard(self.search_side)
            self.search_side = None
        else:
            write_files(target, files)

    def _preview_search(self, site: Path) -> None:
        preview = self.session.preview
        preview.restore(site)
        if preview.search_key == self.search_key:
            return
        if self.search_key in self.session.search_files:
            preview.write_search(site, self.search_key, self.session.search_files[self.search_key])
        elif self.search_job:
            # The preview reloads the browser as soon as the pages are written; the search files
            # follow when the worker is done (a second or two on a thousand questions).
            job, self.search_job = self.search_job, None
            preview.job = job
            threading.Thread(target=self._write_search_later, args=(job, site), daemon=True).start()

    def _write_search_later(self, job: SearchJob, site: Path) -> None:
        session = self.session
        try:
            files = job.result()
        except Exception as error:
            if not session.preview.closed:
                session.log.error(search_failure(error))
            return
        session.search_files = {job.folder: files}
        if self.search_key == job.folder:  # else a newer rebuild has its own job
            session.preview.write_search(site, job.folder, files)

    def sitemap_questions(self, slot_url: str) -> list[tuple[str, str]]:
        """(URL, lastmod) of every question page, for the sitemap."""
        return [(slot_url.replace(SLOT_ID, entry.id), _lastmod(entry.updated)) for entry in self.site.content.entries]

    # -- on_build_error and on_shutdown --------------------------------------------------------------
    def abort(self) -> None:
        """A failed build removes its staging folders; the previous site stays untouched."""
        self.cancel_search()
        if self.question_writer:
            self.question_writer.wait()
            self.question_writer = None
        if self.folders:
            self.folders.discard()
            self.staging = self.folders = None
        self._unlock()

    def _unlock(self) -> None:
        if self.lock:
            self.lock.release()
            self.lock = None

    def cancel_search(self) -> None:
        if self.search_job:
            self.search_job.cancel()
            self.search_job = None


def search_failure(error: Exception) -> str:
    cause = getattr(error, "__cause__", None)  # the worker's traceback, as text
    return f"搜索索引生成失败：{error!r}\n{cause or ''}"


def _lastmod(updated) -> str:
    day = updated.date() if isinstance(updated, dt.datetime) else updated
    return day.isoformat() if isinstance(day, dt.date) else ""


class _Background:
    """A function running in a thread; result() waits and raises what it raised."""

    def __init__(self, function):
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(function,), daemon=True)
        self._thread.start()

    def _run(self, function) -> None:
        try:
            function()
        except BaseException as error:  # handed to the build's thread by result()
            self._error = error

    def wait(self) -> None:
        self._thread.join()

    def result(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error
