"""The one YAML loader of every file the product reads: configuration and string catalogues.

PyYAML's safe loader with libyaml's parser where PyYAML has it (a tenth of the pure-Python parser's
time), and a constructor that refuses what would silently change what a file says:

- a key given twice in one mapping (PyYAML keeps the last: a second ``keski-pohjanmaa:`` would
  replace the default area without a word): :class:`DuplicateKey`, at the second key;
- anchors and aliases (``&name`` / ``*name``): nine lines of aliases expand to billions of values
  (the "billion laughs"), and no file of ours needs them: :class:`AliasRefused`, at the first alias.

Imports nothing of the package (``analysis.errors`` and ``analysis.config`` both use it).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import ConstructorError

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKey(ConstructorError):
    """A key given twice in one mapping; ``problem_mark`` is the second, ``first_line`` the first (1-based)."""

    def __init__(self, key: object, first_line: int, mark) -> None:
        self.key = key
        self.first_line = first_line
        super().__init__(None, None, f"the key {key!r} is given twice (first on line {first_line})", mark)


class AliasRefused(ConstructorError):
    """An alias (``*name``) of an anchor; ``problem_mark`` is the first alias (after :func:`load`)."""

    def __init__(self, mark) -> None:
        super().__init__(None, None, "anchors and aliases (&name, *name) are not allowed", mark)


class StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader refusing duplicate keys and aliases (see the module)."""

    def construct_object(self, node, deep=False):
        # A node is constructed once, unless an alias points to it again (libyaml's composer hands the
        # anchored node itself to every alias).
        if node in self.constructed_objects or node in self.recursive_objects:
            raise AliasRefused(node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        self.flatten_mapping(node)  # merge keys (<<) need aliases: refused before they get here
        mapping: dict = {}
        first: dict = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                seen = key in mapping
            except TypeError:
                raise ConstructorError("while constructing a mapping", node.start_mark, "found unhashable key",
                                       key_node.start_mark) from None
            if seen:
                raise DuplicateKey(key, first[key], key_node.start_mark)
            first[key] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def load(text: str) -> Any:
    """The YAML document in ``text``; raises ``yaml.YAMLError`` (:class:`DuplicateKey`,
    :class:`AliasRefused` among them) with the line and column in ``problem_mark``."""
    try:
        return yaml.load(text, Loader=StrictLoader)
    except AliasRefused as exc:  # the constructor sees the anchored node: find the alias itself
        alias = next((e for e in yaml.parse(text, Loader=_BASE) if isinstance(e, yaml.AliasEvent)), None)
        if alias is not None:
            exc.problem_mark = alias.start_mark
        raise
