"""The knowledge base in memory: one catalogue and its index, swapped whole on reload."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalogue.model import Catalogue
from bot.core.safety import meaning_check
from bot.matching.matcher import Matcher


@dataclass(frozen=True)
class Snapshot:
    catalogue: Catalogue
    matcher: Matcher


class KnowledgeBase:
    """Holds the current :class:`Snapshot`. A reload builds a new one and replaces the
    reference in one assignment, so no question ever sees a half-loaded catalogue."""

    def __init__(self, catalogue: Catalogue):
        self._snapshot = Snapshot(catalogue, Matcher(catalogue))
        meaning_check()  # built here, so that the first question does not wait for it

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    @property
    def version(self) -> str:
        return self._snapshot.catalogue.version

    def swap(self, catalogue: Catalogue) -> None:
        """Index ``catalogue`` and make it the one in use."""
        self._snapshot = Snapshot(catalogue, Matcher(catalogue))
