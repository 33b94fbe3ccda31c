"""The live preview's files on disk (faqkb.site.preview.PreviewFiles), on real folders, no MkDocs.

Between rebuilds MkDocs empties the site folder; the preview keeps the question pages and search
files aside, brings them back, and rewrites only what changed, so an edit to one answer costs a
handful of files rather than every question page.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from faqkb.search.job import SearchJob
from faqkb.content.check import check
from faqkb.site.preview import PREVIEW_SEARCH, PreviewFiles

PAST = 1_000_000_000  # a file's mtime set here shows whether anything wrote it since


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*")) if p.is_file()}


def age(site: Path, *pages: str) -> None:
    for page in pages:
        os.utime(site / page, (PAST, PAST))


def rewritten(site: Path, page: str) -> bool:
    return (site / page).stat().st_mtime != PAST


def mkdocs_rebuilds(site: Path, *, layout_page: bool) -> None:
    """What MkDocs does to the site folder in a rebuild: empties it, renders the other pages and,
    with layout_page, faqkb's layout page into q/ (before faqkb's on_post_build)."""
    shutil.rmtree(site)
    site.mkdir()
    (site / "index.html").write_text("home", encoding="utf-8")
    if layout_page:
        (site / "q" / "faqkb-slot-id").mkdir(parents=True)
        (site / "q" / "faqkb-slot-id" / "index.html").write_text("layout", encoding="utf-8")


def test_held_pages_and_search_files_come_back_after_mkdocs_empties_the_site(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    preview.write_pages(site, {"q/a/index.html": "A", "q/b/index.html": "B"})
    preview.write_search(site, "key-1", {"meta.json": "{}"})

    preview.hold(site)
    assert not (site / "q").exists() and not (site / PREVIEW_SEARCH).exists()
    mkdocs_rebuilds(site, layout_page=False)
    preview.restore(site)

    assert tree(site / "q") == {"a/index.html": "A", "b/index.html": "B"}
    assert tree(site / PREVIEW_SEARCH) == {"meta.json": "{}"}
    assert preview.search_key == "key-1"


def test_a_rebuild_rewrites_only_the_pages_that_changed(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    pages = {"q/a/index.html": "A", "q/b/index.html": "B", "q/c/index.html": "C"}
    preview.write_pages(site, pages)
    age(site, *pages)

    preview.hold(site)
    mkdocs_rebuilds(site, layout_page=True)
    preview.write_pages(site, {**pages, "q/b/index.html": "B, edited"})

    # MkDocs' q/ held only the layout page: the held pages take its place.
    assert tree(site / "q") == {"a/index.html": "A", "b/index.html": "B, edited", "c/index.html": "C"}
    assert [page for page in pages if rewritten(site, page)] == ["q/b/index.html"]


def test_a_deleted_question_loses_its_page_and_its_folder(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    preview.write_pages(site, {"q/a/index.html": "A", "q/b/index.html": "B"})
    preview.write_pages(site, {"q/a/index.html": "A"})
    assert tree(site / "q") == {"a/index.html": "A"}
    assert not (site / "q" / "b").exists()


def test_without_directory_urls_a_deleted_page_leaves_the_question_folder(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    preview.write_pages(site, {"q/a.html": "A", "q/b.html": "B"})
    preview.write_pages(site, {"q/a.html": "A"})
    assert tree(site / "q") == {"a.html": "A"}


def test_pages_lost_without_being_held_are_written_again(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    pages = {"q/a/index.html": "A", "q/b/index.html": "B"}
    preview.write_pages(site, pages)
    shutil.rmtree(site)  # emptied without hold(): nothing on disk is what the preview remembers
    preview.write_pages(site, pages)
    assert tree(site / "q") == {"a/index.html": "A", "b/index.html": "B"}


def test_new_search_files_replace_the_old_folder_whole(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    preview.write_search(site, "key-1", {"meta.json": "1", "lexicon/0.json": "old"})
    first = (site / PREVIEW_SEARCH).stat().st_ino

    preview.write_search(site, "key-2", {"meta.json": "2", "docs/0.json": "new"})

    assert tree(site / PREVIEW_SEARCH) == {"docs/0.json": "new", "meta.json": "2"}  # nothing of key-1 left
    assert (site / PREVIEW_SEARCH).stat().st_ino != first  # a new folder renamed into place
    assert sorted(p.name for p in (site / "search").iterdir()) == ["preview"]  # no scratch folder left
    assert preview.search_key == "key-2"


def test_search_files_are_forgotten_when_mkdocs_removed_them(tmp_path):
    site, preview = tmp_path / "site", PreviewFiles()
    preview.write_search(site, "key-1", {"meta.json": "{}"})
    shutil.rmtree(site)
    site.mkdir()
    preview.restore(site)
    assert preview.search_key is None  # the next rebuild writes them again


def test_after_close_nothing_is_written_and_the_held_files_are_gone(tmp_path, write_tree):
    site, preview = tmp_path / "site", PreviewFiles()
    preview.write_pages(site, {"q/a/index.html": "A"})
    preview.hold(site)
    content, _ = check(write_tree({"a/_category.yml": "title: 账户\n",
                                   "a/x.yml": "- id: x\n  question: 怎么改密码？\n  answer: 在设置里改。\n  frequency: 1\n"}))
    preview.job = SearchJob(content)

    preview.close()

    assert not preview.aside.exists()
    assert not preview.job._process.is_alive()
    preview.write_search(site, "key-1", {"meta.json": "{}"})
    assert not (site / PREVIEW_SEARCH).exists()
