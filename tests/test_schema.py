"""The editor schemas (faqkb schema → schemas/): current, built from the validator's rules, accepting
all the sample content and rejecting the bad fixtures wherever one file's shape shows the mistake.

Files are read as an editor's YAML extension sees them, as JSON data: YAML dates (updated:
2026-11-01) become the "2026-11-01" text that YAML 1.2 editors read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft7Validator, FormatChecker

from faqkb.content.check import check
from faqkb.staff import schema as faq_schema
from faqkb.staff.cli import main
from faqkb.content.syntax import KEBAB as _KEBAB, MAX_ID_LENGTH
from faqkb.content.model import CATEGORY_FIELDS, CATEGORY_FILE, ENTRY_FIELDS, LIST_FIELDS, REQUIRED_ENTRY_FIELDS, SYNONYMS_FILE

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SAMPLE = ROOT / "faq"
BAD = Path(__file__).parent / "fixtures" / "bad"
NAMES = ("faq-entries.schema.json", "faq-category.schema.json", "faq-synonyms.schema.json")


def committed(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def schema_for(path: Path) -> str:
    if path.name == CATEGORY_FILE:
        return "faq-category.schema.json"
    if path.name == SYNONYMS_FILE:
        return "faq-synonyms.schema.json"
    return "faq-entries.schema.json"


def as_json(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    return value


def schema_errors(path: Path) -> list[tuple[tuple, str]]:
    """(where in the data, which rule) for each schema error in one YAML file."""
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    validator = Draft7Validator(committed(schema_for(path)), format_checker=FormatChecker())
    return sorted((tuple(e.absolute_path), e.validator) for e in validator.iter_errors(data))


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml"))


# -- the files ------------------------------------------------------------------------------------


def test_committed_schemas_equal_freshly_generated_ones(tmp_path, capsys):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(NAMES)
    for name in NAMES:
        assert (SCHEMAS / name).read_text(encoding="utf-8") == (tmp_path / name).read_text(encoding="utf-8"), (
            f"schemas/{name} is stale: run `faqkb schema` and commit the result")
    assert capsys.readouterr().out.count("已写入") == len(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_schemas_are_valid_draft_07(name):
    schema = committed(name)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


# -- built from the validator's rules -------------------------------------------------------------


def test_entry_schema_follows_the_model():
    entry = committed("faq-entries.schema.json")["definitions"]["entry"]
    assert tuple(entry["properties"]) == ENTRY_FIELDS
    assert tuple(entry["required"]) == REQUIRED_ENTRY_FIELDS
    assert entry["additionalProperties"] is False
    assert entry["properties"]["id"]["pattern"] == _KEBAB.pattern.removesuffix("$") + r"(?![\s\S])"
    assert entry["properties"]["id"]["maxLength"] == MAX_ID_LENGTH
    for name in LIST_FIELDS:
        assert "array" in entry["properties"][name]["type"], name


def test_category_schema_follows_the_model():
    category = committed("faq-category.schema.json")
    assert tuple(category["properties"]) == CATEGORY_FIELDS
    assert category["required"] == ["title"] and category["additionalProperties"] is False


def test_every_property_has_a_chinese_description():
    def properties(node):
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                yield name, prop
            for value in node.values():
                yield from properties(value)
        elif isinstance(node, list):
            for value in node:
                yield from properties(value)

    found = [(name, prop) for n in NAMES for name, prop in properties(committed(n))]
    assert len(found) == len(ENTRY_FIELDS) + len(CATEGORY_FIELDS)
    for name, prop in found:
        assert re.search(r"[\u4e00-\u9fff]", prop.get("description", "")), name


def test_a_model_field_without_a_schema_fails_loudly(monkeypatch):
    monkeypatch.setattr(faq_schema, "ENTRY_FIELDS", ENTRY_FIELDS + ("video",))
    with pytest.raises(KeyError, match="video"):
        faq_schema.entries_schema()


def test_the_id_pattern_agrees_with_the_validator():
    pattern = re.compile(committed("faq-entries.schema.json")["definitions"]["entry"]["properties"]["id"]["pattern"])
    for text in ("refund-time", "q-2024", "a", "plus-2"):
        assert pattern.search(text), text
    for text in ("Refund-Time", "refund_time", "refund--time", "-refund", "refund-", "退款", "", "refund time",
                 "refund-time\n"):
        assert not pattern.search(text), text


# -- accepts the sample content -------------------------------------------------------------------


def test_sample_content_has_every_kind_of_file():
    kinds = {schema_for(p) for p in yaml_files(SAMPLE)}
    assert kinds == set(NAMES)


@pytest.mark.parametrize("path", yaml_files(SAMPLE), ids=lambda p: p.relative_to(SAMPLE).as_posix())
def test_schema_accepts_sample_file(path):
    assert schema_errors(path) == []


# -- rejects what the validator rejects, where one file's shape shows it --------------------------

# case -> {file: [(where, rule)]}: every error the schema finds in the case's files.
REJECTED = {
    "bad-frequency": {"faq/after-sales/refunds.yml": [((0, "frequency"), "minimum"), ((1, "frequency"), "type")]},
    "bad-id": {"faq/after-sales/refunds.yml": [((0, "id"), "pattern"), ((1, "id"), "pattern"), ((2, "id"), "type")]},
    # "上周" is not a date; the other entry's 2999-01-01 is in the future, which only the validator knows.
    "bad-updated": {"faq/after-sales/refunds.yml": [((1, "updated"), "format"), ((1, "updated"), "pattern")]},
    "category-fields": {
        "faq/after-sales/_category.yml": [((), "additionalProperties"), ((), "required"), (("order",), "type")],
        "faq/payment/_category.yml": [((), "type")],
    },
    "draft": {"faq/after-sales/refunds.yml": [((2, "draft"), "type")]},
    "empty-file": {"faq/after-sales/refunds.yml": [((), "type")]},
    "id-rules": {"faq/after-sales/refunds.yml": [((0, "id"), "maxLength"), ((1, "id"), "pattern"), ((2, "id"), "not")]},
    "empty-question-answer": {"faq/after-sales/refunds.yml": [((0, "answer"), "type"), ((0, "question"), "pattern")]},
    "item-not-mapping": {"faq/after-sales/refunds.yml": [((1,), "type")]},
    "missing-fields": {"faq/after-sales/refunds.yml": [((0,), "required"), ((0,), "required"), ((1,), "required")]},
    "not-a-list": {"faq/after-sales/refunds.yml": [((), "type")]},
    "previous-ids": {"faq/after-sales/refunds.yml": [((1, "previous_ids", 1), "pattern")]},
    "related-duplicate": {"faq/after-sales/refunds.yml": [((0, "related"), "uniqueItems")]},
    "synonyms": {"faq/_synonyms.yml": [((1,), "type"), ((4,), "minItems")]},
    "unknown-field": {"faq/after-sales/refunds.yml": [((0,), "additionalProperties")]},
    "wrong-types": {"faq/after-sales/refunds.yml": [
        ((0, "aliases"), "type"), ((0, "answer"), "type"), ((0, "frequency"), "type"),
        ((0, "question"), "type"), ((0, "tags", 1), "type")]},
}
# Cases whose mistakes need the whole tree (ids, links, order, folders) or are only warnings: every
# file in them has a valid shape, so the schema accepts them and `faqkb validate` reports them.
WHOLE_TREE = {"bad-folder-name", "duplicate-alias", "duplicate-id", "empty-category", "full-width-comma", "inline-missing",
              "missing-category-file", "out-of-order", "related-missing", "self-link", "stray-file", "too-deep",
              "symlinks", "dot-yml"}
# Text holding characters no page may show (a quoted "\x7f"): the schema does not look at characters.
CHARACTERS = {"control-characters"}
# Cases that are not valid YAML text at all (encoding, tabs, syntax, repeated keys): the editor's YAML
# parser reports those before any schema applies.
NOT_YAML = {"bom", "dash-without-space", "duplicate-key", "full-width-colon", "not-utf8", "syntax-error", "tab-indent",
            "invisible-character", "utf-16", "unclosed-quote"}
# YAML an editor reads but that would take a YAML library minutes or all its stack to turn into data.
HOSTILE = {"anchor-bomb", "deep-nesting"}


def test_every_bad_fixture_is_accounted_for():
    cases = {p.name for p in BAD.iterdir() if p.is_dir()}
    assert cases == set(REJECTED) | WHOLE_TREE | NOT_YAML | CHARACTERS | HOSTILE


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_schema_rejects_bad_fixture(case):
    root = BAD / case
    found = {p.relative_to(root).as_posix(): schema_errors(p) for p in yaml_files(root / "faq")}
    found = {file: errors for file, errors in found.items() if errors}
    assert found == {file: sorted(errors) for file, errors in REJECTED[case].items()}
    # ... and only where the validator finds an error too: the schema must never be stricter.
    _, problems = check(root / "faq", display_base=root)
    assert set(found) <= {p.file for p in problems if p.is_error}


@pytest.mark.parametrize("case", sorted(WHOLE_TREE | CHARACTERS))
def test_schema_accepts_files_whose_mistakes_need_the_whole_tree(case):
    for path in yaml_files(BAD / case / "faq"):
        assert schema_errors(path) == [], path


def test_negative_and_fractional_frequencies_are_rejected():
    validator = Draft7Validator(committed("faq-entries.schema.json"))
    entry = {"id": "a", "question": "问", "answer": "答"}
    assert validator.is_valid([{**entry, "frequency": 0}])
    assert not validator.is_valid([{**entry, "frequency": -1}])
    assert not validator.is_valid([{**entry, "frequency": 1.5}])
    assert not validator.is_valid([{**entry, "frequency": True}])
    assert not validator.is_valid([{**entry, "frequency": "120"}])


# -- the editor settings that use them ------------------------------------------------------------


def _glob(pattern: str) -> re.Pattern:
    """A glob as yaml-language-server reads it: ** spans folders (also none), * stays within one."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def schemas_applied(settings: dict, rel: str) -> list[str]:
    found = []
    for schema_path, patterns in settings["yaml.schemas"].items():
        positive = [p for p in patterns if not p.startswith("!")]
        negative = [p[1:] for p in patterns if p.startswith("!")]
        if any(_glob(p).match(rel) for p in positive) and not any(_glob(p).match(rel) for p in negative):
            found.append(Path(schema_path).name)
    return found


def test_vscode_maps_each_content_file_to_exactly_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    for schema_path in settings["yaml.schemas"]:
        assert (ROOT / schema_path).is_file(), schema_path
    files = [p.relative_to(ROOT).as_posix() for p in yaml_files(SAMPLE)]
    files += ["faq/a/b/c/deep.yaml", "faq/stray.yml"]
    for rel in files:
        assert schemas_applied(settings, rel) == [schema_for(Path(rel))], rel
    assert schemas_applied(settings, "mkdocs.yml") == []


def test_vscode_recommends_the_yaml_extension():
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]
