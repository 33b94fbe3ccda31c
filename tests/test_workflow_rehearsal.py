"""The workflows' own steps, rehearsed here: GitHub cannot run in this suite, its jobs' commands can.

Each test runs the `run:` steps of one job, in order, in a temporary git repository holding the
project's working tree (a `main` branch, an `origin` to fetch it from, and a branch with the
change a pull request would bring), with the files GitHub's runner provides pointed at temporary
files (tests/workflows.py). The project's installed environment stands in for the install step's
fresh one: `make install` finds it up to date, as the runner's cache would make it.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from gitrepo import git
from workflows import run_job

pytestmark = pytest.mark.slow  # workflow jobs run in fresh checkouts

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
REFUNDS = "faq/after-sales/refunds/refunds.yml"


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def pull_request_context(repo: Path) -> dict:
    base = git(repo, "rev-parse", "origin/main").strip()
    return {"event_name": "pull_request", "base_ref": "main", "head_ref": "change",
            "event": {"pull_request": {"number": 7, "base": {"sha": base}},
                      "repository": {"default_branch": "main"}}}


def content_job(repo: Path, tmp_path: Path, variables: dict | None = None):
    return run_job(WORKFLOWS / "pull-request.yml", "content", repo, github=pull_request_context(repo),
                   variables=variables, runner_temp=tmp_path / "runner-temp")


def test_the_content_job_passes_on_the_sample_content(checkout, tmp_path):
    job = content_job(checkout, tmp_path)
    assert job.succeeded, job.log
    assert job.step("列出所有问题").outcome == "skipped"
    assert all(step.outcome == "success" for step in job.steps if "列出所有问题" not in step.name), job.log
    assert (checkout / "site" / "index.html").is_file()
    assert "::error" not in job.log
    assert "<!-- faqkb-diff -->" in job.summary and "没有改动任何问题、分类或排序" in job.summary


def test_the_content_job_sums_the_change_up_in_the_summary_and_the_comment(checkout, tmp_path):
    for path in (checkout / "faq").rglob("*.yml"):
        content = path.read_text(encoding="utf-8")
        path.write_text(content.replace("[[refund-time]]", "[[refund-arrival]]").replace("refund-time,", "refund-arrival,")
                        .replace("refund-time]", "refund-arrival]"), encoding="utf-8")
    refunds = checkout / REFUNDS
    text = refunds.read_text(encoding="utf-8")
    refunds.write_text(text.replace("- id: refund-time\n", "- id: refund-arrival\n  previous_ids: [refund-time]\n"),
                       encoding="utf-8")
    commit(checkout, "Rename refund-time")

    job = content_job(checkout, tmp_path, variables={"FAQKB_PREVIEW_URL": "https://preview.example.com/help"})
    assert job.succeeded, job.log
    body = (tmp_path / "runner-temp" / "diff.md").read_text(encoding="utf-8")
    assert body.startswith("<!-- faqkb-diff -->\n### 这个 pull request 对帮助中心的改动（对比 main）")
    assert "[退款多久能到账？](https://preview.example.com/help/pr-7/q/refund-arrival/) · `refund-time` → `refund-arrival`" \
        in body
    assert body in job.summary
    # The comment is posted by actions the rehearsal cannot run; they are given this very file.
    assert job.step("发布或更新改动说明评论").output.startswith("(rehearsal:")


def test_a_broken_entry_fails_the_content_job_with_an_annotation_on_its_line(checkout, tmp_path):
    refunds = checkout / REFUNDS
    lines = refunds.read_text(encoding="utf-8").splitlines(keepends=True)
    broken = next(number for number, line in enumerate(lines) if line.strip() == "frequency: 425")
    lines[broken] = "  frequency: 很多\n"
    refunds.write_text("".join(lines), encoding="utf-8")
    commit(checkout, "A count written in words")

    job = content_job(checkout, tmp_path)
    assert not job.succeeded
    validate = job.step("faqkb validate")
    assert validate.outcome == "failure"
    annotations = [line for line in validate.output.splitlines() if line.startswith("::")]
    assert annotations == [
        f"::error file={REFUNDS},line={broken + 1},col=14,title=FAQ107 frequency 不是大于等于 0 的整数"
        "::frequency 必须是大于等于 0 的整数，这里是“很多”。 怎么改：请写被问次数，例如 frequency: 120，不要加引号或单位。"]
    # The whole list goes to the run's summary; nothing after the failure runs, so nothing is built.
    assert "### FAQ 内容检查没有通过" in job.summary and f"{REFUNDS}:{broken + 1}:14" in job.summary
    assert job.step("列出所有问题").outcome == "success"
    assert job.step("faqkb duplicates").outcome == "skipped"
    assert job.step("mkdocs build").outcome == "skipped" and job.step("faqkb diff").outcome == "skipped"
    assert not (checkout / "site").exists()


def test_a_new_question_that_repeats_one_gets_a_warning_but_passes(checkout, tmp_path):
    refunds = checkout / REFUNDS
    refunds.write_text(refunds.read_text(encoding="utf-8") + (
        "- id: refund-days\n  question: 退款多久能到账？\n  answer: 1-3 个工作日。\n  frequency: 0\n"), encoding="utf-8")
    commit(checkout, "A question asked twice")

    job = content_job(checkout, tmp_path)
    assert job.succeeded, job.log
    warnings = [line for line in job.step("faqkb duplicates").output.splitlines() if line.startswith("::warning")]
    assert len(warnings) == 1 and f"file={REFUNDS}," in warnings[0] and "refund-time" in warnings[0]


@pytest.mark.parametrize(("changed", "code"), [("faq", "false"), ("README.md", "true"), ("plugins", "true")])
def test_the_code_job_runs_only_when_something_outside_faq_changes(checkout, tmp_path, changed, code):
    target = {"faq": checkout / REFUNDS, "README.md": checkout / "README.md",
              "plugins": checkout / "plugins" / "faqkb" / "content" / "model.py"}[changed]
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(checkout, f"Touch {changed}")
    job = run_job(WORKFLOWS / "pull-request.yml", "changes", checkout, github=pull_request_context(checkout),
                  runner_temp=tmp_path / "runner-temp")
    assert job.succeeded, job.log
    outputs = (tmp_path / "runner-temp").glob("output_*")
    assert f"code={code}" in "".join(path.read_text(encoding="utf-8") for path in outputs)


def frequency_job(repo: Path, tmp_path: Path, secrets: dict | None = None, variables: dict | None = None):
    return run_job(WORKFLOWS / "frequency.yml", "import", repo, github={"event_name": "schedule", "token": "t"},
                   inputs={"csv": ""}, variables=variables or {}, secrets=secrets or {},
                   runner_temp=tmp_path / "runner-temp")


def test_the_weekly_update_without_an_events_log_or_a_csv_ends_green_with_a_notice(checkout, tmp_path):
    job = frequency_job(checkout, tmp_path)
    assert job.succeeded, job.log
    assert re.search(r"^::notice title=本周没有数据::没有设置网站统计日志的地址（仓库密钥 FAQKB_EVENTS_URL），"
                     r"仓库里也没有 data/frequency\.csv", job.log, re.M)
    assert [step.outcome for step in job.steps][2:] == ["skipped"] * (len(job.steps) - 2)
    assert git(checkout, "status", "--porcelain") == ""


def test_the_weekly_import_puts_rows_that_matched_nothing_in_the_pull_request_body(checkout, tmp_path):
    csv = checkout / "data" / "frequency.csv"
    csv.parent.mkdir()
    csv.write_text("id,count\nrefund-time,5000\nrefund-when,12\n", encoding="utf-8")
    commit(checkout, "This week's counts")

    job = frequency_job(checkout, tmp_path)
    assert job.succeeded, job.log
    body = (tmp_path / "runner-temp" / "pull-request-body.md").read_text(encoding="utf-8")
    assert "refund-time：4380 → 5000" in body
    assert "第 3 行：id“refund-when”没有对应的问题" in body
    assert "frequency: 5000" in (checkout / REFUNDS).read_text(encoding="utf-8")
    # Opening the pull request is an action; with it not run, no check is dispatched either.
    assert job.step("开 pull request").output.startswith("(rehearsal:")
    assert job.step("在 pull request 上运行检查").outcome == "skipped"


def preview_job(workflow: str, job: str, repo: Path, tmp_path: Path, pages: Path):
    """A job of the optional preview, with the preview repository's GitHub URL sent to `pages`."""
    url = "https://x-access-token:secret@github.com/shop/help-previews.git"
    redirect = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{pages.as_uri()}.insteadOf",
                "GIT_CONFIG_VALUE_0": url}
    context = pull_request_context(repo)
    context["event"]["pull_request"]["head"] = {"repo": {"full_name": "shop/help"}}
    context["repository"] = "shop/help"
    return run_job(WORKFLOWS / workflow, job, repo, github=context, runner_temp=tmp_path / "runner-temp",
                   variables={"FAQKB_PREVIEW_REPOSITORY": "shop/help-previews"},
                   secrets={"FAQKB_PREVIEW_TOKEN": "secret"}, extra_env=redirect)


def test_the_preview_job_publishes_the_site_as_its_pull_request_folder_and_cleanup_removes_it(checkout, tmp_path):
    pages = tmp_path / "help-previews.git"
    git(tmp_path, "init", "-q", "--bare", str(pages))
    site = checkout / "site"  # what actions/download-artifact brings: the content job's help-site
    site.mkdir()
    (site / "index.html").write_text("<h1>预览</h1>", encoding="utf-8")

    job = preview_job("pull-request.yml", "preview", checkout, tmp_path, pages)
    assert job.succeeded, job.log
    assert git(pages, "show", "gh-pages:pr-7/index.html") == "<h1>预览</h1>"
    assert git(pages, "show", "gh-pages:.nojekyll") == ""

    job = preview_job("preview-cleanup.yml", "cleanup", checkout, tmp_path / "again", pages)
    assert job.succeeded, job.log
    assert "pr-7" not in git(pages, "ls-tree", "--name-only", "gh-pages")


@contextlib.contextmanager
def serving_files(folder: Path):
    """Where the shop keeps its weekly events log: a web server on 127.0.0.1 (FAQKB_EVENTS_URL)."""
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_weekly_update_from_the_events_log_sets_frequencies_adds_aliases_and_reports(checkout, tmp_path):
    served = tmp_path / "served"
    served.mkdir()
    sample = (ROOT / "tests" / "data" / "events-sample.log").read_bytes()
    (served / "events-week.log.gz").write_bytes(gzip.compress(sample))
    csv = checkout / "data" / "frequency.csv"  # the events win over a CSV, with a notice
    csv.parent.mkdir()
    csv.write_text("id,count\nrefund-time,5000\n", encoding="utf-8")
    commit(checkout, "A CSV as well")

    with serving_files(served) as url:
        job = frequency_job(checkout, tmp_path, secrets={"FAQKB_EVENTS_URL": url + "events-week.log.gz"},
                            variables={"FAQKB_ALIAS_MIN_COUNT": "2"})
    assert job.succeeded, job.log
    assert "::notice title=这次用网站统计::" in job.log
    assert job.step("faqkb frequency import").outcome == "skipped"
    body = (tmp_path / "runner-temp" / "pull-request-body.md").read_text(encoding="utf-8")
    assert body.startswith("这是每周根据网站统计自动生成的更新")
    assert "### 网站统计：2026-11-30 至 2026-12-02（3 天）" in body
    assert "| 招聘 | 3 | 你们招聘吗、你们招聘吗?、请问招聘吗 |" in body  # searches with no result
    assert "- refund-method：退款退到哪" in body and "至少出现 2 次" in body
    assert "- refund-time：4380 → 7" in body  # 3 views in 3 days: 7 a week
    refunds = (checkout / REFUNDS).read_text(encoding="utf-8")
    assert "aliases: [退款退到哪]" in refunds and "frequency: 5000" not in refunds
    assert job.env["PR_TITLE"] == "每周更新：被问次数和别名（来自网站统计）"
    assert job.step("开 pull request").output.startswith("(rehearsal:")


def test_an_events_url_that_fails_fails_the_weekly_update(checkout, tmp_path):
    with serving_files(tmp_path) as url:
        job = frequency_job(checkout, tmp_path, secrets={"FAQKB_EVENTS_URL": url + "missing.log.gz"})
    assert not job.succeeded
    assert job.step("取得本周的数据").outcome == "failure" and "404" in job.step("取得本周的数据").output
    assert git(checkout, "status", "--porcelain") == ""
