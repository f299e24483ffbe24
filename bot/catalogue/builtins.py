"""What ships with the project: topic codes and labels, audiences, provider kinds,
municipalities and the fi↔sv synonym layer (all under knowledge/)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.catalogue.errors import CatalogueError, CatalogueProblem
from bot.catalogue.model import SynonymGroup, Topic
from bot.catalogue.places import Places, builtin_places
from bot.catalogue.synonyms_file import read_synonyms
from bot.catalogue.yamlsource import parse_yaml
from bot.config import BUILTIN_DIR, DEFAULT_KNOWLEDGE_DIR


@dataclass(frozen=True)
class Builtins:
    topics: tuple[Topic, ...]
    audiences: tuple[str, ...]
    provider_kinds: tuple[str, ...]
    places: Places
    synonyms: tuple[SynonymGroup, ...]
    version: str


class _Collect:
    """A reporter for the built-in files: any problem is a bug in the project."""

    def __init__(self, name: str, located: Any):
        self.name, self.located, self.problems = name, located, []
        self.data = located.data

    def problem(self, path: tuple[Any, ...], item: str, message: str, warning: bool = False) -> None:
        self.problems.append(CatalogueProblem(self.name, self.located.line(path), item, message))


@lru_cache(maxsize=1)
def builtins() -> Builtins:
    """Read the built-in files once per process."""
    topics_bytes = (BUILTIN_DIR / "topics.yaml").read_bytes()
    data = parse_yaml(topics_bytes.decode()).data
    topics = tuple(
        Topic(code, {"fi": spec["fi"], "sv": spec["sv"]},
              {k: tuple(v) for k, v in (spec.get("words") or {}).items()})
        for code, spec in data["topics"].items()
    )
    syn_path = DEFAULT_KNOWLEDGE_DIR / "synonyms.yaml"
    syn_bytes = syn_path.read_bytes() if syn_path.exists() else b""
    src = _Collect("knowledge/synonyms.yaml", parse_yaml(syn_bytes.decode()))
    groups = read_synonyms(src, {t.code for t in topics}, set(data["audiences"]), prefix="builtin")
    if src.problems:
        raise CatalogueError(src.problems)
    version = hashlib.sha256(topics_bytes + syn_bytes).hexdigest()[:16]
    return Builtins(topics, tuple(data["audiences"]), tuple(data["provider_kinds"]),
                    builtin_places(), tuple(groups), version)
