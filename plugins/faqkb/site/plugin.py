"""The MkDocs plugin: MkDocs' build events, each handing over to a step of build.SiteBuild."""

from __future__ import annotations

import logging
from pathlib import Path

from ..content.dates import DEFAULT_TIMEZONE, UnknownTimezone, shop_today
from .build import DEFAULT_BRAND, PALETTE_CSS, ContentError, Session, Settings, SiteBuild
from .engine import (BasePlugin, File, Files, MemoryBytecodeCache, MkDocsConfig, PluginError, base,
                     get_plugin_logger, material_icon_svg, options, strict_warning_count, watch_without_following_links,
                     WholeNumber)
from .options import AnalyticsConfig, ContactConfig
from .render import Contact, RenderOptions

log = get_plugin_logger(__name__)
ASSETS = Path(__file__).parent / "assets"
TEMPLATES = Path(__file__).parent / "templates"


class FaqConfig(base.Config):
    enabled = options.Type(bool, default=True)
    content_dir = options.Optional(options.Type(str))  # FAQ YAML, relative to mkdocs.yml; default docs_dir
    max_depth = WholeNumber(minimum=1, default=4)
    hot_questions = WholeNumber(minimum=0, default=10)
    home_heading = options.Type(str, default="您好，有什么可以帮您？")
    contact = options.SubConfig(ContactConfig)
    brand_color = options.Type(str, default=DEFAULT_BRAND)
    """The shop's colour (#rrggbb): header, links and buttons; a warning if text on it is hard to read."""
    timezone = options.Type(str, default=DEFAULT_TIMEZONE)
    """The shop's IANA time zone: "today" for checking `updated` dates (CI runners keep UTC)."""
    analytics = options.SubConfig(AnalyticsConfig)
    """Helpful votes and search events sent to `analytics.endpoint` (site/analytics.py); off when unset."""


class FaqPlugin(BasePlugin[FaqConfig]):
    """Generates the help site's pages from FAQ YAML."""
    supports_multiple_instances = False

    def __init__(self):
        self.command = "build"
        self.session = Session(log)  # kept across the live preview's rebuilds (the plugin has on_startup)
        self.template_cache = MemoryBytecodeCache()
        self.build: SiteBuild | None = None
        self.slot_file: File | None = None

    def on_startup(self, *, command, dirty) -> None:
        """Remembers the command: only `mkdocs build` writes through a staging folder."""
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Runs first: checks and renders the content, so a content error stops the build before
        MkDocs empties the previous site."""
        if not self.config.enabled:
            return None
        self.build = SiteBuild(self._settings(config), self.session)
        try:
            self.build.start()
        except ContentError as error:
            raise PluginError(str(error)) from None
        config.nav = self.build.site.navigation
        config.extra["faqkb_search"] = self.build.search_url
        config.extra["faqkb_problems"] = self.build.notice
        # Staff browsing the live preview are not shoppers: it sends no events.
        config.extra["faqkb_analytics"] = "" if self.command == "serve" else self.config.analytics.endpoint
        config.validation.nav.omitted_files = logging.DEBUG  # questions are reached from categories, not the nav
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(TEMPLATES))  # a project's overrides win
        config.extra_css[:0] = ["assets/faqkb/faqkb.css"] + ([PALETTE_CSS] if self.build.palette.css else [])
        config.update(self.build.config_changes(config.docs_dir))  # the staging folder, the preview's docs_dir
        return config

    def _settings(self, config: MkDocsConfig) -> Settings:
        config_dir = Path(config.config_file_path or ".").parent
        try:
            today = shop_today(self.config.timezone)
        except UnknownTimezone as error:
            raise PluginError(f"mkdocs.yml 里 faqkb 的 timezone 设置不对：{error}") from None
        return Settings(
            content_dir=config_dir / self.config.content_dir if self.config.content_dir else Path(config.docs_dir),
            display_base=config_dir, site_dir=Path(config.site_dir), today=today,
            options=RenderOptions(directory_urls=config.use_directory_urls, hot_count=self.config.hot_questions,
                                  contact=Contact(**dict(self.config.contact)), home_heading=self.config.home_heading,
                                  icon_svg=material_icon_svg),
            max_depth=self.config.max_depth, strict=config.strict, command=self.command, site_url=config.site_url or "",
            brand_color=self.config.brand_color,
            icon_exists=lambda name: material_icon_svg(name) is not None)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Replaces the YAML sources with the generated pages and the plugin's assets."""
        if not self.build:
            return files
        for file in [file for file in files if file.src_uri.endswith((".yml", ".yaml"))]:
            files.remove(file)
        for page in self.build.generated_pages():
            if (existing := files.get_file_from_path(page.uri)) is not None:
                files.remove(existing)
            files.append(File.generated(config, page.uri, content=page.markdown))
        for asset in sorted(ASSETS.iterdir()):
            files.append(File.generated(config, f"assets/faqkb/{asset.name}", abs_src_path=str(asset)))
        for uri, text in self.build.generated_assets(analytics=bool(config.extra["faqkb_analytics"])).items():
            files.append(File.generated(config, uri, content=text))
        # The layout page first: the question pages are written while MkDocs renders the others.
        self.slot_file = files.get_file_from_path(self.build.generated_pages()[0].uri)
        return Files([self.slot_file] + [file for file in files if file is not self.slot_file])

    def on_pre_build(self, *, config: MkDocsConfig) -> None:  # the preview keeps them out of MkDocs' cleaning
        if self.build and self.build.settings.preview:
            self.session.preview.hold(Path(config.site_dir))

    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        env.bytecode_cache = self.template_cache  # compiled templates, kept across the preview's rebuilds
        return env

    def on_template_context(self, context, *, template_name: str, config: MkDocsConfig):
        """Gives the sitemap (templates/sitemap.xml) the question pages, which are not MkDocs pages."""
        if template_name == "sitemap.xml" and self.build:
            slot = self.slot_file.page
            context["faqkb_slot_url"] = slot.canonical_url or slot.abs_url or ""
            context["faqkb_questions"] = self.build.sitemap_questions(context["faqkb_slot_url"])
        return context

    def on_post_page(self, output: str, *, page, config: MkDocsConfig) -> str | None:
        if self.build and page.file is self.slot_file:
            self.build.layout_rendered(output, Path(config.site_dir), self.slot_file.dest_uri)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Writes the question pages and the search files, then swaps the finished site in."""
        if not self.build:
            return
        try:
            final = self.build.finish(Path(config.site_dir), self.slot_file.dest_uri, config.use_directory_urls,
                                      strict_failed=config.strict and strict_warning_count() > 0)
        except ContentError as error:
            raise PluginError(str(error)) from error
        config.update(site_dir=str(final), **self.build.config_restored())

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        """The preview's watcher must not follow a symbolic link out of the content (engine.py)."""
        return watch_without_following_links(server)

    def on_shutdown(self) -> None:
        self.session.close(self.build)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build removes its staging folder; the previous site stays untouched."""
        if self.build:
            self.build.abort()
