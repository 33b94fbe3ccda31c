"""Rehearse a GitHub Actions job here: its `run:` steps, in order, as the runner would run them.

GitHub itself cannot run here, so tests run a job's shell steps in a temporary checkout with the
files the runner provides (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH, GITHUB_STEP_SUMMARY,
RUNNER_TEMP), evaluate `if:` conditions and `${{ }}` expressions the way GitHub does, and skip
`uses:` steps (checkout and setup-python are the temporary checkout and the current Python). An
expression this module does not understand fails the rehearsal instead of being guessed.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

STATUS_FUNCTIONS = ("success", "failure", "always", "cancelled")


class Unsupported(Exception):
    """An expression or step the rehearsal cannot run faithfully."""


# -- expressions ----------------------------------------------------------------------------------

_TOKEN = re.compile(r"""\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?\d+(?:\.\d+)?)|(?P<op>==|!=|&&|\|\||[!()\[\],.<>])
                        |(?P<name>[A-Za-z_][A-Za-z0-9_-]*))""", re.X)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise Unsupported(f"cannot read expression {text!r} at {position}")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


def truthy(value: Any) -> bool:
    return value not in (None, False, 0, "") and value == value  # NaN is falsy


def _loose_equal(left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left.lower() == right.lower()  # GitHub compares strings ignoring case
    if left is None or right is None:
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return _number(left) == _number(right)
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        return _number(left) == _number(right)
    return left == right


def _number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if value is None or value == "":
        return 0.0
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


class _Parser:
    """or := and ('||' and)*; and := eq ('&&' eq)*; eq := unary (('=='|'!=') unary)*;
    unary := '!' unary | primary; primary := literal | call | path | '(' or ')'."""

    def __init__(self, text: str, context: dict, status: dict):
        self.tokens = _tokens(text)
        self.index = 0
        self.context = context
        self.status = status
        self.uses_status = False

    def peek(self):
        return self.tokens[self.index] if self.index < len(self.tokens) else (None, None)

    def take(self, value: str | None = None):
        kind, text = self.peek()
        if value is not None and text != value:
            raise Unsupported(f"expected {value!r}, found {text!r}")
        self.index += 1
        return kind, text

    def parse(self):
        value = self.either()
        if self.index != len(self.tokens):
            raise Unsupported(f"unexpected {self.peek()[1]!r}")
        return value

    def either(self):
        value = self.both()
        while self.peek()[1] == "||":
            self.take()
            other = self.both()
            value = value if truthy(value) else other
        return value

    def both(self):
        value = self.equality()
        while self.peek()[1] == "&&":
            self.take()
            other = self.equality()
            value = other if truthy(value) else value
        return value

    def equality(self):
        value = self.unary()
        while self.peek()[1] in ("==", "!="):
            _, op = self.take()
            other = self.unary()
            value = _loose_equal(value, other) if op == "==" else not _loose_equal(value, other)
        return value

    def unary(self):
        if self.peek()[1] == "!":
            self.take()
            return not truthy(self.unary())
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if text == "(":
            value = self.either()
            self.take(")")
            return value
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "number":
            return float(text) if "." in text else int(text)
        if kind != "name":
            raise Unsupported(f"unexpected {text!r}")
        if text in ("true", "false"):
            return text == "true"
        if text == "null":
            return None
        if self.peek()[1] == "(":
            return self.call(text)
        value = self.context.get(text)
        if text not in self.context:
            raise Unsupported(f"unknown context {text!r}")
        while self.peek()[1] in (".", "["):
            if self.take()[1] == ".":
                _, key = self.take()
            else:
                key = self.either()
                self.take("]")
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def call(self, name: str):
        self.take("(")
        arguments = []
        while self.peek()[1] != ")":
            arguments.append(self.either())
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        if name in STATUS_FUNCTIONS:
            self.uses_status = True
            return self.status[name]
        if name == "contains":
            haystack, needle = arguments
            if isinstance(haystack, list):
                return any(_loose_equal(item, needle) for item in haystack)
            return str(needle).lower() in str(haystack or "").lower()
        if name == "startsWith":
            return str(arguments[0] or "").lower().startswith(str(arguments[1]).lower())
        raise Unsupported(f"function {name}()")


def evaluate(expression: str, context: dict, status: dict | None = None) -> tuple[Any, bool]:
    """The value of an expression, and whether it called a status function."""
    parser = _Parser(expression, context, status or {})
    return parser.parse(), parser.uses_status


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def interpolate(text: str, context: dict) -> str:
    """Every ${{ … }} in `text` replaced by its value, as GitHub pastes it."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: _text(evaluate(m.group(1), context)[0]), str(text))


# -- jobs -----------------------------------------------------------------------------------------


@dataclass
class StepRun:
    name: str
    id: str | None
    outcome: str  # success, failure or skipped
    output: str = ""  # stdout and stderr together, as the log shows them
    continue_on_error: bool = False


@dataclass
class JobRun:
    steps: list[StepRun] = field(default_factory=list)
    summary: str = ""
    env: dict[str, str] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return all(step.outcome != "failure" or step.continue_on_error for step in self.steps)

    @property
    def log(self) -> str:
        return "\n".join(step.output for step in self.steps)

    def step(self, needle: str) -> StepRun:
        [found] = [step for step in self.steps if needle in step.name]
        return found


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as true
    return workflow


def run_job(workflow_file: Path, job_id: str, workspace: Path, *, github: dict | None = None,
            inputs: dict | None = None, variables: dict | None = None, secrets: dict | None = None,
            runner_temp: Path, extra_env: dict | None = None, timeout: float = 600) -> JobRun:
    """Runs the `run:` steps of one job in `workspace`, in order, honouring if:, env: and
    continue-on-error:. `uses:` steps are recorded as skipped-by-rehearsal (outcome success)."""
    workflow = load_workflow(workflow_file)
    job = workflow["jobs"][job_id]
    shell = ((job.get("defaults") or workflow.get("defaults") or {}).get("run") or {}).get("shell")
    runner_temp.mkdir(parents=True, exist_ok=True)
    summary_file = runner_temp / "step_summary.md"
    env_file = runner_temp / "github_env"
    path_file = runner_temp / "github_path"
    for file in (summary_file, env_file, path_file):
        file.write_text("", encoding="utf-8")
    context: dict[str, Any] = {
        "github": {"workspace": str(workspace), **(github or {})},
        "inputs": inputs or {}, "vars": variables or {}, "secrets": secrets or {},
        "runner": {"temp": str(runner_temp), "os": "Linux"}, "steps": {}, "env": {}, "needs": {},
    }
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    env.update({"CI": "true", "GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(runner_temp),
                "GITHUB_WORKSPACE": str(workspace), "GITHUB_STEP_SUMMARY": str(summary_file),
                "GITHUB_ENV": str(env_file), "GITHUB_PATH": str(path_file), **(extra_env or {})})
    declared: dict[str, str] = {}
    for scope in (workflow.get("env") or {}, job.get("env") or {}):
        for key, value in scope.items():
            declared[key] = interpolate(value, {**context, "env": declared})
    context["env"] = declared
    result = JobRun()
    failed = False
    for number, step in enumerate(job["steps"]):
        name = step.get("name") or step.get("uses") or step.get("run", "").splitlines()[0]
        status = {"success": not failed, "failure": failed, "always": True, "cancelled": False}
        condition = step.get("if")
        if condition is None:
            run_it = not failed
        else:
            value, uses_status = evaluate(str(condition).replace("${{", "").replace("}}", ""), context, status)
            run_it = truthy(value) and (uses_status or not failed)
        step_id = step.get("id")
        record = StepRun(name, step_id, "skipped", continue_on_error=bool(step.get("continue-on-error")))
        result.steps.append(record)
        if step_id:
            context["steps"][step_id] = {"outcome": "skipped", "conclusion": "skipped", "outputs": {}}
        if not run_it:
            continue
        if "uses" in step:
            record.outcome = "success"
            record.output = f"(rehearsal: {step['uses']} is done by the test's own set-up)"
            if step_id:
                context["steps"][step_id] = {"outcome": "success", "conclusion": "success", "outputs": {}}
            continue
        step_env = dict(declared)
        step_env.update(_read_env_file(env_file))
        for key, value in (step.get("env") or {}).items():
            step_env[key] = interpolate(value, {**context, "env": {**declared, **_read_env_file(env_file)}})
        script = interpolate(step["run"], {**context, "env": step_env})
        output_file = runner_temp / f"output_{number}"
        output_file.write_text("", encoding="utf-8")
        script_file = runner_temp / f"step_{number}.sh"
        script_file.write_text(script, encoding="utf-8")
        paths = [line for line in path_file.read_text(encoding="utf-8").splitlines() if line]
        process_env = {**env, **step_env, "GITHUB_OUTPUT": str(output_file),
                       "PATH": os.pathsep.join(list(reversed(paths)) + [env["PATH"]])}
        command = (["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)] if shell == "bash"
                   else ["bash", "-e", str(script_file)])
        cwd = workspace / step.get("working-directory", ".")
        completed = subprocess.run(command, cwd=cwd, env=process_env, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, timeout=timeout)
        record.output = completed.stdout
        record.outcome = "success" if completed.returncode == 0 else "failure"
        if step_id:
            conclusion = "success" if record.continue_on_error else record.outcome
            context["steps"][step_id] = {"outcome": record.outcome, "conclusion": conclusion,
                                         "outputs": _read_env_file(output_file)}
        if record.outcome == "failure" and not record.continue_on_error:
            failed = True
    result.summary = summary_file.read_text(encoding="utf-8")
    result.env = _read_env_file(env_file)
    return result


def _read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines and KEY<<DELIMITER blocks, as GitHub reads GITHUB_ENV and GITHUB_OUTPUT."""
    values: dict[str, str] = {}
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    index = 0
    while index < len(lines):
        line = lines[index]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            key, delimiter = line.split("<<", 1)
            block = []
            index += 1
            while index < len(lines) and lines[index] != delimiter:
                block.append(lines[index])
                index += 1
            values[key] = "\n".join(block)
        elif "=" in line:
            key, value = line.split("=", 1)
            values[key] = value
        index += 1
    return values
