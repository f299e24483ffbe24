"""Crisis first: recognise a message that signals acute danger.

Rules are sequences of slots matched in order over the question's words (at most
``GAP`` words between slots). A slot lists alternatives: a base form or a surface word, and
``word*`` for a prefix. Danger to oneself needs first-person intent (``haluan kuolla``, "jag
vill inte leva"), so a calm message about a death or a past suicide ("veli teki itsemurhan
viime vuonna") is not a crisis; violence needs the present tense (lyö, slår) or a threat.
"""

from __future__ import annotations

from bot.matching.analysis import Keys
from bot.matching.text import Token

GAP = 3
RULES: tuple[tuple[str, ...], ...] = (
    # Finnish: harm to oneself
    ("itsemurha-ajatus*",), ("itsemurha-ajatuks*",), ("itsetuhoi*",), ("itsetuhoaj*",),
    ("ajatella|miettiä|suunnitella|haluta|aikoa|harkita|pohtia", "itsemurha*"),
    ("teen|tekisin|teenkö|tekemään", "itsemurha*"),
    ("tappaa|tapan|tappaisin", "itse|itseni|itteni|ittensä"),
    ("ei|en", "haluta|halua", "elää|enää"),
    ("ei|en", "jaksaa|jaksa", "elää"),
    ("haluta|halua", "kuolla"),
    ("lopettaa|päättää", "elämä*|kaikki|päivä*"),
    ("vahingoittaa|satuttaa|viiltää|viillellä", "itse|itseni|itteni"),
    ("viiltel*|viillel*|viillell*",), ("hypätä|hyppään", "silta*|parvek*|juna*|katol*|alas"),
    ("parempi", "ilman", "minä|mua|minua"),
    ("elämä", "ei", "olla", "elämisen|arvoinen"),
    ("jos", "mua|minua|mä|minä|mun", "ei", "ois|olisi|olis|olla"),
    ("aion|aikoa|meinaan|aikoo", "ottaa|syödä|niellä", "kaikki"),
    ("ottanut|syönyt|nielaissut|otti|söi", "paljon|kaikki|purkin|purkillisen|liikaa", "lääk*|pilleri*|tablet*|unilääk*"),
    # Finnish: violence now, threats, harm to others
    ("lyö|lyövät|hakkaa|hakkaavat|potkii|kuristaa|kuristi|pahoinpitelee|raiskaa|satuttaa",),
    ("uhata|uhkaa|uhkailee|uhkasi", "tappaa|tappavansa|tapan|satuttaa|puukottaa|ampua"),
    ("pelätä|pelkään", "tappaa|tappaa|lyödä|satuttaa"),
    ("aion|aikoa|haluta|halua|meinaan|tekisi", "tappaa|satuttaa|ampua|puukottaa"),
    ("hengenvaara*",), ("turvassa", "en|ei"),
    # Swedish
    ("självmordstank*",), ("självmord*", "tank*|plan*"),
    ("tänka|funderar|funderade|planera|planerar|vilja|vill", "självmord*|ta"),
    ("ta", "livet", "av"),
    ("vilja|vill", "inte", "leva|finnas"),
    ("vilja|vill", "dö"),
    ("skada|skär|skära", "mig"),
    ("slår|misshandlar|sparkar|stryper|våldtar",),
    ("hotar|hota|hotade", "döda|dödar|skada|slå"),
    ("rädd", "döda|dödar|slår"),
    ("ska|kommer|vill|hotar", "döda|skada|skjuta"),
    ("bättre", "utan", "mig"),
    ("köpt|köpa|skaffat", "rep"),
    ("tagit|tog|ätit|svalt", "massa|alla|hela|för", "tablett*|piller|medicin*|sömntabl*"),
)


# Phrases that look like danger but are not: "lyö vetoa" (bets), "slår vad" (bets).
NOT_DANGER = (("lyö|lyödä|lyövät|löi", "vetoa|veto|vetoja"), ("slår|slog|slå", "vad"))


def _slot_matches(slot: str, tok: Token, keys: Keys) -> bool:
    words = {tok.lower, *keys.full}
    for alt in slot.split("|"):
        if alt.endswith("*"):
            if any(w.startswith(alt[:-1]) for w in words):
                return True
        elif alt in words:
            return True
    return False


def _rule_matches(rule: tuple[str, ...], tokens: list[Token], keys: list[Keys]) -> bool:
    for start in range(len(tokens)):
        if not _slot_matches(rule[0], tokens[start], keys[start]):
            continue
        pos, ok = start, True
        for slot in rule[1:]:
            nxt = next((j for j in range(pos + 1, min(pos + 2 + GAP, len(tokens)))
                        if _slot_matches(slot, tokens[j], keys[j])), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            return True
    return False


def _without_harmless(tokens: list[Token], keys: list[Keys]) -> tuple[list[Token], list[Keys]]:
    drop = set()
    for i in range(len(tokens) - 1):
        for first, second in NOT_DANGER:
            if _slot_matches(first, tokens[i], keys[i]) and _slot_matches(second, tokens[i + 1], keys[i + 1]):
                drop |= {i, i + 1}
    keep = [i for i in range(len(tokens)) if i not in drop]
    return [tokens[i] for i in keep], [keys[i] for i in keep]


def is_crisis(tokens: list[Token], keys: list[Keys]) -> bool:
    """True when the message signals acute danger to the writer or to someone else."""
    tokens, keys = _without_harmless(tokens, keys)
    return any(_rule_matches(rule, tokens, keys) for rule in RULES)
