"""Safe YAML reading that remembers the line of every value, for `file:line` errors.

Only plain YAML data is built (mappings, lists, strings, numbers, booleans, dates); any other
tag, such as ``!!python/object``, is refused without being run. Alias expansion and nesting
depth are bounded, so a "billion laughs" file or a very deep one gives an error, not a hang.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
import yaml_rs

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_NODES = 2_000_000
MAX_DEPTH = 60
SAFE_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
}
MAP_TAG = "tag:yaml.org,2002:map"
SEQ_TAG = "tag:yaml.org,2002:seq"

Path_ = tuple[Any, ...]


class YamlProblem(Exception):
    """The file is not readable YAML data; ``line`` is 1-based."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


class LocatedYaml:
    """Parsed data plus the line where each value (by its path of keys/indexes) stands."""

    def __init__(self, data: Any, lines: dict[Path_, int]):
        self.data = data
        self._lines = lines

    def line(self, path: Path_) -> int:
        """The line of ``path``, or of its nearest located parent."""
        path = tuple(path)
        while path and path not in self._lines:
            path = path[:-1]
        return self._lines.get(path, 1)


class _Builder:
    def __init__(self) -> None:
        self.lines: dict[Path_, int] = {}
        self.nodes = 0
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlProblem(node.start_mark.line + 1, "file expands to too much data (aliases?)")
        if len(path) > MAX_DEPTH:
            raise YamlProblem(node.start_mark.line + 1, "nested too deeply")
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            if node.tag != MAP_TAG:
                raise YamlProblem(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.build(key_node, (*path, "<key>"))
                if isinstance(key, (dict, list)):
                    raise YamlProblem(key_node.start_mark.line + 1, "a key must be a plain value")
                if key in out:
                    raise YamlProblem(key_node.start_mark.line + 1, f"key '{key}' given twice")
                out[key] = self.build(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ_TAG:
                raise YamlProblem(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
            return [self.build(v, (*path, i)) for i, v in enumerate(node.value)]
        if node.tag not in SAFE_TAGS:
            raise YamlProblem(node.start_mark.line + 1, f"tag {node.tag} is not allowed")
        try:
            return self.scalars.construct_object(node)
        except (yaml.YAMLError, ValueError) as exc:
            raise YamlProblem(node.start_mark.line + 1, f"bad value: {exc}") from None


def parse_yaml(text: str | bytes) -> LocatedYaml:
    """Parse one YAML document safely; raise :class:`YamlProblem` with a line on failure."""
    if len(text) > MAX_FILE_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlProblem(1, "nested too deeply") from None
    if node is None:
        return LocatedYaml(None, {})
    builder = _Builder()
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise YamlProblem(1, "nested too deeply") from None
    return LocatedYaml(data, builder.lines)


TAG = re.compile(r"(?:^|[\s\[{,:-])![A-Za-z!<]")
ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[A-Za-z0-9_-]")
BRACKETS = re.compile(r"[\[\]{}]|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\n]|'')*'|#[^\n]*")
INDENT = re.compile(r"^[ \t?:-]*", re.MULTILINE)  # indentation and block indicators
FAST_DEPTH = 30
"""Deeper files go to the careful parser: yaml-rs overflows its stack on very deep nesting."""


def _deeper_than(text: str, limit: int) -> bool:
    """Whether the nesting of flow brackets or block indentation may exceed ``limit``."""
    depth = 0
    for m in BRACKETS.finditer(text):
        c = m.group(0)
        if c in "[{":
            depth += 1
            if depth > limit:
                return True
        elif c in "]}":
            depth -= 1
    return any(len(m.group(0)) > 4 * limit for m in INDENT.finditer(text))


def load_yaml(text: str) -> Any:
    """Parse one YAML document quickly (yaml-rs, in Rust; duplicate keys refused). A file
    with a tag, an alias or deep nesting (all rare in catalogues), or one yaml-rs refuses,
    goes through :func:`parse_yaml`
    instead, which explains the problem with its line. Lines of values are only needed when
    something is wrong, so the loader asks :func:`parse_yaml` for them then."""
    if len(text) > MAX_FILE_BYTES:
        raise YamlProblem(1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if TAG.search(text) or ALIAS.search(text) or _deeper_than(text, FAST_DEPTH):
        return parse_yaml(text).data
    try:
        return yaml_rs.loads(text)
    except (yaml_rs.YAMLDecodeError, ValueError, RecursionError) as exc:
        data = parse_yaml(text).data  # raises with the line when PyYAML agrees
        if data is None and text.strip():
            raise YamlProblem(1, f"not valid YAML: {str(exc).splitlines()[0]}") from None
        return data
