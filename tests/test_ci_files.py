"""The GitHub workflows and pre-commit files: valid for their tools, and doing what the project relies on.

check-jsonschema validates workflows offline against its bundled copy of SchemaStore's schema, so
a typo in a key fails here instead of on GitHub after the merge.
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


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(workflow))


def step_index(workflow: dict, needle: str) -> int:
    for index, step in enumerate(steps(workflow)):
        if needle in step.get("run", "") or needle in step.get("uses", ""):
            return index
    raise AssertionError(f"no step runs or uses {needle!r}")


def uses(workflow: dict, action: str) -> dict:
    [step] = [s for s in steps(workflow) if s.get("uses", "").split("@")[0] == action]
    return step


def test_the_three_workflows_exist():
    assert [p.name for p in WORKFLOW_FILES] == ["frequency.yml", "publish.yml", "pull-request.yml"]


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_passes_check_jsonschema(workflow, schema):
    result = subprocess.run([str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(workflow)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOW_FILES, ids=lambda p: p.name)
def test_actions_are_pinned_to_a_version(workflow):
    for step in steps(load(workflow)):
        if "uses" in step:
            assert re.search(r"@v\d+$|@[0-9a-f]{40}$", step["uses"]), step["uses"]


# -- pull requests --------------------------------------------------------------------------------


def test_pull_request_workflow_checks_content_builds_and_tests_in_that_order():
    workflow = load(WORKFLOWS / "pull-request.yml")
    assert list(triggers(workflow)) == ["pull_request"]
    assert workflow["permissions"] == {"contents": "read"}
    assert "faqkb validate --format github faq" in runs(workflow)
    order = [step_index(workflow, s) for s in ("actions/checkout", "actions/setup-python", "pip install -e '.[test]'",
                                               "faqkb validate --format github faq", "mkdocs build --strict",
                                               "make test")]
    assert order == sorted(order)
    [build] = [s for s in steps(workflow) if "mkdocs build --strict" in s.get("run", "")]
    assert build["env"]["NO_MKDOCS_2_WARNING"] == "1"


def test_pull_request_workflow_caches_pip_by_pyproject():
    setup = uses(load(WORKFLOWS / "pull-request.yml"), "actions/setup-python")["with"]
    assert setup == {"python-version": "3.11", "cache": "pip", "cache-dependency-path": "pyproject.toml"}


# -- publishing -----------------------------------------------------------------------------------


def test_publish_runs_on_main_and_by_hand():
    on = triggers(load(WORKFLOWS / "publish.yml"))
    assert on["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in on


def test_publish_queues_deployments_instead_of_racing_or_cancelling_them():
    assert load(WORKFLOWS / "publish.yml")["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_only_the_deploy_job_can_publish_and_only_after_a_successful_build():
    workflow = load(WORKFLOWS / "publish.yml")
    assert workflow["permissions"] == {"contents": "read"}
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert "permissions" not in build
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["needs"] == "build"  # a failed build skips the deployment
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build_steps = [s.get("run") or s["uses"].split("@")[0] for s in build["steps"]]
    assert build_steps[-2:] == ["make site", "actions/upload-pages-artifact"]
    assert build["steps"][-1]["with"] == {"path": "site"}


# -- weekly frequency import ----------------------------------------------------------------------


def test_frequency_import_runs_weekly_and_opens_a_pull_request():
    workflow = load(WORKFLOWS / "frequency.yml")
    on = triggers(workflow)
    [schedule] = on["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit()  # once a week
    assert "csv" in on["workflow_dispatch"]["inputs"]
    assert 'faqkb frequency import "$CSV"' in runs(workflow)
    assert step_index(workflow, "faqkb frequency import") < step_index(workflow, "faqkb validate faq") \
        < step_index(workflow, "peter-evans/create-pull-request")
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_frequency_csv_path_never_goes_straight_into_the_script():
    # ${{ }} inside `run:` is pasted into the shell script before it runs: an input could inject commands.
    for step in steps(load(WORKFLOWS / "frequency.yml")):
        assert "${{" not in step.get("run", ""), step


# -- pre-commit -----------------------------------------------------------------------------------


def test_pre_commit_hook_offered_to_other_repositories():
    [hook] = load(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "faqkb-validate"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == ("faqkb validate", "python", False)
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("faq/_synonyms.yml", "faq/a/b/c.yaml", "faq/a/_category.yml"))
    assert not any(files.search(p) for p in ("docs/faq.yml", "mkdocs.yml", "faq/a/notes.md"))


def test_pre_commit_config_uses_the_hook_locally_and_checks_workflows():
    repos = load(ROOT / ".pre-commit-config.yaml")["repos"]
    [local] = [r for r in repos if r["repo"] == "local"]
    offered = load(ROOT / ".pre-commit-hooks.yaml")[0]
    [hook] = [h for h in local["hooks"] if h["id"] == "faqkb-validate"]
    assert hook["entry"].endswith(offered["entry"]) and hook["files"] == offered["files"]
    assert hook["pass_filenames"] is False
    [jsonschema] = [r for r in repos if r["repo"] == "https://github.com/python-jsonschema/check-jsonschema"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", jsonschema["rev"])
    assert "check-github-workflows" in [h["id"] for h in jsonschema["hooks"]]
