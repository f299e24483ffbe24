"""Errors of a catalogue that cannot be loaded, in the contract's `file:line: id: what` form."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class CatalogueProblem:
    """One thing wrong with a catalogue folder."""

    file: str
    line: int
    item: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.item}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "id": self.item, "message": self.message}


class CatalogueError(Exception):
    """A catalogue folder was rejected; ``problems`` lists every error found."""

    def __init__(self, problems: list[CatalogueProblem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
