"""Writing entry files back without disturbing what staff wrote: shared by fmt, frequency import and new.

faqkb reads content with PyYAML (faqkb.load), which forgets comments and how values were written.
Files that a command changes are instead read and written with ruamel.yaml's round-trip mode, which
keeps comments, quoting, flow lists and `|` answers exactly as they were.

ruamel attaches a comment to the value above it, so a comment written above an entry is, to ruamel,
part of the last field of the entry before. `rearrange` moves comments the way a reader sees them:
the comment lines directly above an entry or field (not indented deeper than it) move with it;
blank lines and comments indented under the previous entry stay with that entry; comments above
the first entry that a blank line separates from it are the file's header, and comments after the
last entry its footer: both stay where they are.

`render` reads its own output back before anything is written: if any entry, answer or comment
would be lost or changed, it raises Unsafe and the file is left alone.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from ..content.model import ENTRY_FIELDS
from ..files import os_reason

BOM = "\ufeff"
# ruamel drops a leading `---` line and any comments above it, so those lines are kept aside verbatim.
_DOCUMENT_START = re.compile(r"\A(?:[ \t]*(?:#[^\n]*)?\n)*---[ \t]*\n")
# A comment, from its `#` to the end of the line (inside an answer this also matches Markdown
# headings, which are kept byte for byte anyway).
_COMMENT = re.compile(r"(?:^|[ \t])(#.*)$")
_TRAILING_BLANK_LINES = re.compile(r"(?:^[ \t]*\n)+\Z", re.M)


class Unsafe(Exception):
    """Writing would lose or change content; the message (Chinese, for staff) says why."""


@dataclass
class EntryFile:
    path: Path
    raw: bytes  # as on disk: formatting that gives the same bytes changes nothing
    prefix: str  # lines up to a leading `---`, put back verbatim
    data: Any  # ruamel's round-trip data; a CommentedSeq of CommentedMap when the file is well formed

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8").removeprefix(BOM)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode
    # The sample content's layout: "- id: x" at column 0, fields under it indented by two spaces.
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.width = 1 << 30  # never re-wrap a long question or alias list
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    return yaml


def read(path: Path) -> EntryFile:
    """Read an entries file for editing; raises UnicodeDecodeError or ruamel's YAMLError."""
    raw = path.read_bytes()
    text = raw.decode("utf-8").removeprefix(BOM)
    prefix = match.group(0) if (match := _DOCUMENT_START.match(text)) else ""
    return EntryFile(path, raw, prefix, _yaml().load(text[len(prefix):]))


def new_file(path: Path) -> EntryFile:
    return EntryFile(path, b"", "", CommentedSeq())


def dumps(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def render(document: EntryFile, entries: list, field_order: Sequence[str] | None = ENTRY_FIELDS) -> str:
    """The file's new text with `entries` (its own entries, maybe with new ones) in this order,
    their fields in `field_order` (None: as they are).

    Raises Unsafe unless the text reads back as exactly these entries, in this order, and still
    holds every comment of the original file.
    """
    expected = [_canonical(entry) for entry in entries]
    rearrange(document.data, entries, field_order)
    text = document.prefix + dumps(document.data)
    try:
        reread = _yaml().load(text[len(document.prefix):])
    except YAMLError as error:
        raise Unsafe(f"整理后的文件无法读回（{error}）") from error
    if not isinstance(reread, list) or [_canonical(entry) for entry in reread] != expected:
        raise Unsafe("整理后读回的条目和原来的不一致")
    lost = Counter(_comments(document.text)) - Counter(_comments(text))
    if lost:
        raise Unsafe(f"整理会丢掉注释“{next(iter(lost))}”")
    return text


class Unwritable(Exception):
    """Files a command meant to change cannot be written; the message (Chinese, for staff) names them."""


def cannot_write(path: Path) -> str | None:
    """Why `path` cannot be replaced through a temporary file beside it (Chinese), or None.

    os.access answers for this process as the system enforces it (root included: a read-only file
    system or an immutable file says no to root too)."""
    folder = path.parent
    if path.exists() or path.is_symlink():
        if not path.is_file():
            return "它不是一个普通文件"
        if not os.access(path, os.W_OK):
            return "文件是只读的，没有写权限"
    if not folder.is_dir():
        return f"目录 {folder.as_posix()} 不存在"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"所在的目录 {folder.as_posix()} 不能写入（改文件要先在这个目录里写一个临时文件）"
    return None


def write_all(changes: Sequence[tuple[Path, str]]) -> None:
    """Writes every file, or none: raises Unwritable naming each file that cannot be written
    before any file is changed. (A failure while writing, such as a full disk, says which files
    were already written.)"""
    blocked = [(path, why) for path, _ in changes if (why := cannot_write(path))]
    if blocked:
        raise Unwritable("\n".join(f"无法写入 {path.as_posix()}：{why}。" for path, why in blocked)
                         + "\n所有文件都没有改动。请检查文件和目录的权限（例如 chmod u+w 文件名），或换一个有写权限的用户运行。")
    done: list[Path] = []
    for path, text in changes:
        try:
            write(path, text)
        except OSError as error:
            written = f"已经写入的文件：{'、'.join(p.as_posix() for p in done)}；" if done else ""
            raise Unwritable(f"无法写入 {path.as_posix()}：{os_reason(error)}。{written}"
                             "这个文件和后面的文件都没有改动。") from error
        done.append(path)


def write(path: Path, text: str) -> None:
    """Replace the file in one step (temporary file + rename): an interruption never leaves half a
    file. The new file keeps the old one's mode, and its owner and group where this process may
    give them (root may; anyone else keeps the group when they belong to it)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        if path.exists():
            old = path.stat()
            for owner in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
                try:
                    os.chown(temporary, *owner)
                    break
                except OSError:
                    continue
            os.chmod(temporary, old.st_mode & 0o7777)
        else:  # mkstemp makes the file private; a new content file should be like any other
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def rearrange(seq: CommentedSeq, entries: list, field_order: Sequence[str] | None = ENTRY_FIELDS) -> None:
    """Make `entries` the items of `seq` in this order, each with its fields in `field_order`
    (other fields after them, as they were), moving comments with what they are written above."""
    header, leads, tails, footer, separator, slots = _detach_items(seq)
    for entry in entries:
        if field_order is not None and isinstance(entry, CommentedMap) and not entry.fa.flow_style():
            leads[id(entry)] = leads.get(id(entry), "") + _order_fields(entry, field_order)
    seq[:] = entries
    for index, entry in enumerate(entries):
        if slots.get(id(entry)):
            seq.ca.items[index] = slots[id(entry)]
    if not entries:
        return
    top = header + leads.get(id(entries[0]), "")
    if top:
        seq.ca.comment = [seq.ca.comment[0] if seq.ca.comment else None, [CommentToken(top, CommentMark(0))]]
    for index, entry in enumerate(entries):
        if index + 1 < len(entries):
            below = tails.get(id(entry), "") + separator + leads.get(id(entries[index + 1]), "")
        else:
            below = tails.get(id(entry), "") + footer
        _put_below(seq, index, below)


def _detach_items(seq: CommentedSeq):
    """Take every comment line between the items of `seq` off the items, sorted out by item."""
    items = list(seq)
    before = [_take_before(seq, index) for index in range(len(items))]
    below = [_take_below(seq, index) for index in range(len(items))]
    if items and seq.ca.end:  # where ruamel keeps comments after a last value it has no slot for
        below[-1] += "".join(_token_lines(token) for token in seq.ca.end)
        seq.ca.end = []
    if items and below[-1] and not below[-1].endswith("\n"):  # a file without a final line break
        below[-1] += "\n"
    slots = {id(item): seq.ca.items.pop(index, None) for index, item in enumerate(items)}
    leads: dict[int, str] = {}
    tails: dict[int, str] = {}
    header = _take_header(seq) + (before[0] if items else "")
    if not items:
        return header, leads, tails, "", "", slots
    header, leads[id(items[0])] = _split(header, _item_column(items[0]))
    separated = []  # for each gap between entries: is there a blank line right above the next one?
    for index in range(1, len(items)):
        tail, leads[id(items[index])] = _split(below[index - 1] + before[index], _item_column(items[index]))
        tails[id(items[index - 1])] = _TRAILING_BLANK_LINES.sub("", tail)
        separated.append(tail != tails[id(items[index - 1])])
    # Comments indented under the last entry are its own; from the first other comment on, the footer.
    lines = below[-1].splitlines(keepends=True)
    column, own = _item_column(items[-1]), 0
    for index, line in enumerate(lines):
        if line.strip() and (not line.strip().startswith("#") or _is_comment_line(line, column)):
            break
        if line.strip():
            own = index + 1
    tails[id(items[-1])], footer = "".join(lines[:own]), "".join(lines[own:])
    # Entries separated by blank lines stay so after a reorder; otherwise none are.
    separator = "\n" if separated and all(separated) else ""
    return header, leads, tails, footer, separator, slots


def _order_fields(entry: CommentedMap, field_order: Sequence[str]) -> str:
    """Put the entry's fields in order with the comments above each; returns the comment lines
    above the new first field, which belong above the entry."""
    keys = list(entry)
    if not keys:
        return ""
    rank = {name: index for index, name in enumerate(field_order)}
    wanted = sorted(keys, key=lambda key: rank.get(key, len(rank)))
    before = {key: _take_before(entry, key) for key in keys}
    # The last field's lines below belong to the entry and were taken with the entry.
    below = {key: _take_below(entry, key) for key in keys[:-1]}
    leads = {keys[0]: before[keys[0]]}
    tails = {keys[-1]: ""}
    for previous, key in zip(keys, keys[1:]):
        tails[previous], leads[key] = _split(below[previous] + before[key], _key_column(entry, key))
    for key in wanted:
        entry.move_to_end(key)
    for key, following in zip(wanted, wanted[1:]):
        _put_below(entry, key, tails[key] + leads[following])
    _put_below(entry, wanted[-1], tails[wanted[-1]])
    return leads[wanted[0]]


def _split(text: str, column: int) -> tuple[str, str]:
    """(what stays with the item above, the comment lines directly above the next item)."""
    lines = text.splitlines(keepends=True)
    start = len(lines)
    while start and _is_comment_line(lines[start - 1], column):
        start -= 1
    return "".join(lines[:start]), "".join(lines[start:])


def _is_comment_line(line: str, column: int) -> bool:
    stripped = line.lstrip(" ")
    return stripped.startswith("#") and len(line) - len(stripped) <= column


def _item_column(item: Any) -> int:
    """Column of an entry's "- " (ruamel records where its first field starts)."""
    column = getattr(getattr(item, "lc", None), "col", None)
    return max(column - 2, 0) if isinstance(column, int) else 0


def _key_column(entry: CommentedMap, key: Any) -> int:
    position = (getattr(entry.lc, "data", None) or {}).get(key)  # [line, column, ...] as read
    return position[1] if position else 0


def _last(container: Any, key: Any) -> tuple[Any, Any]:
    """Where ruamel keeps the comment after container[key]: on the last value of a block collection."""
    value = container[key]
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
        container, key = value, (list(value)[-1] if isinstance(value, CommentedMap) else len(value) - 1)
        value = container[key]
    return container, key


def _token_index(container: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def _take_below(container: Any, key: Any) -> str:
    """Remove and return the whole lines after container[key], leaving a comment on its own line."""
    container, key = _last(container, key)
    slot = container.ca.items.get(key)
    index = _token_index(container)
    token = slot[index] if slot else None
    if token is None:
        return ""
    text = token.value
    if isinstance(container[key], (LiteralScalarString, FoldedScalarString)):
        own, lines = "", _token_lines(token)  # a block scalar has already ended its last line
    else:
        cut = text.find("\n") + 1 or len(text)
        own, lines = text[:cut], text[cut:]
    if own.strip():
        token.value = own  # the same token keeps the column the comment was written at
    else:
        slot[index] = None
    return lines


def _put_below(container: Any, key: Any, lines: str) -> None:
    if not lines:
        return
    container, key = _last(container, key)
    slot = container.ca.items.setdefault(key, [None, None, None, None])
    index = _token_index(container)
    if slot[index] is not None:
        slot[index].value += lines
    elif isinstance(container[key], (LiteralScalarString, FoldedScalarString)):
        slot[index] = CommentToken(lines, CommentMark(0))
    else:
        slot[index] = CommentToken("\n" + lines, CommentMark(0))


def _take_before(container: Any, key: Any) -> str:
    """Remove and return the comment lines ruamel keeps in front of container[key] (after an empty value)."""
    slot = container.ca.items.get(key)
    if not slot or len(slot) < 2 or not slot[1]:
        return ""
    tokens, slot[1] = slot[1], None
    return "".join(_token_lines(token) for token in tokens)


def _take_header(seq: CommentedSeq) -> str:
    comment = seq.ca.comment
    if not comment or len(comment) < 2 or not comment[1]:
        return ""
    tokens, comment[1] = comment[1], None
    return "".join(_token_lines(token) for token in tokens)


def _token_lines(token: CommentToken) -> str:
    # A comment on lines of its own: the first line starts at the token's column, later lines
    # carry their own indentation.
    return " " * token.column + token.value if token.value.startswith("#") else token.value


def _comments(text: str) -> list[str]:
    return [match.group(1).rstrip() for line in text.splitlines() if (match := _COMMENT.search(line))]


def _canonical(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=repr)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {repr(key) if not isinstance(key, str) else key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    return repr(value)
