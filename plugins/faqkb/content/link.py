"""Step 3: resolve cross-links between entries, in both directions."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Entry
from .syntax import inline_targets


@dataclass
class Links:
    """Who links to whom. Lists keep a stable, useful order: declared order, then most asked first."""

    declared: dict[str, list[str]] = field(default_factory=dict)  # `related` of each entry
    inline: dict[str, list[str]] = field(default_factory=dict)  # [[id]] in each answer
    incoming: dict[str, list[str]] = field(default_factory=dict)  # entries whose related or answer names it

    def related(self, entry_id: str) -> list[str]:
        """What a question page lists as related: its own `related`, then the entries that link to it."""
        shown = list(self.declared.get(entry_id, []))
        shown += [other for other in self.incoming.get(entry_id, []) if other not in shown]
        return shown


def link(entries: list[Entry]) -> Links:
    """Cross-links among valid entries; unknown or self targets are dropped (validate reports them)."""
    by_id = {entry.id: entry for entry in entries}
    links = Links()
    incoming: dict[str, set[str]] = {}
    for entry in entries:
        declared = _known_unique(entry.related or [], by_id, entry.id)
        inline = _known_unique(inline_targets(entry.answer), by_id, entry.id)
        links.declared[entry.id] = declared
        links.inline[entry.id] = inline
        for target in declared + inline:
            incoming.setdefault(target, set()).add(entry.id)
    for target, sources in incoming.items():
        links.incoming[target] = sorted(sources, key=lambda i: (-by_id[i].frequency, i))
    return links


def _known_unique(ids: list[str], by_id: dict[str, Entry], own: str) -> list[str]:
    result: list[str] = []
    for target in ids:
        if target in by_id and target != own and target not in result:
            result.append(target)
    return result
