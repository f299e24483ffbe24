"""What goes into and comes out of :func:`bot.core.answer.answer` (no transport types here)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalogue.model import Area, Service
from bot.core.safety import Assessment

@dataclass(frozen=True)
class Context:
    """Who asks: everything the core may use besides the question text.

    ``language`` is the user's stored or chosen language; with ``force_language`` the reply
    is in it whatever the question's language, otherwise the question's language wins when
    it is clear. ``municipality`` is a stored home municipality (code or name).
    """

    language: str | None = None
    force_language: bool = False
    municipality: str | None = None
    audience: str | None = None
    role: str = "resident"
    limit: int = 3
    offset: int = 0

    @property
    def professional(self) -> bool:
        return self.role == "professional"


@dataclass(frozen=True)
class Result:
    """One referral option, with why it matched (words and topics) for professionals."""

    service: Service
    score: float
    why: tuple[str, ...] = ()
    in_reply_language: bool = True


@dataclass(frozen=True)
class Reply:
    """The core's answer; channels render ``text`` or build their own view of ``results``."""

    question: str
    language: str
    municipality: Area | None
    results: tuple[Result, ...]
    text: str
    audience: str | None = None
    topics: tuple[str, ...] = ()
    more_available: bool = False
    offset: int = 0
    safety: Assessment = Assessment()

    @property
    def crisis(self) -> bool:
        """Acute danger: the reply leads with 112 and a crisis line."""
        return self.safety.crisis

    def as_json(self) -> dict[str, object]:
        """The JSON object of `python -m bot ask --json` and `POST /api/ask`."""
        return {
            "question": self.question,
            "language": self.language,
            "crisis": self.crisis,
            "municipality": (
                {"code": self.municipality.code,
                 "name": self.municipality.name.get(self.language) or self.municipality.name.get("fi")}
                if self.municipality else None
            ),
            "results": [
                {
                    "id": r.service.id,
                    "name": r.service.name.get(self.language) or next(iter(r.service.name.values())),
                    "provider": (r.service.provider.name.get(self.language)
                                 or next(iter(r.service.provider.name.values()))),
                    "provider_kind": r.service.provider.kind,
                    "topics": list(r.service.topics),
                    "areas": [a.code for a in r.service.areas],
                    "languages": list(r.service.languages),
                    "score": round(r.score, 4),
                    "why": list(r.why),
                }
                for r in self.results
            ],
            "text": self.text,
        }
