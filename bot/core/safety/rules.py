"""Crisis first: recognise a message that signals acute danger.

Rules are sequences of slots matched in order over the question's words, with at most
``GAP`` words between slots (a rule may start with its own gap). A slot lists alternatives:
a base form or a written word, ``word*`` for a prefix. A written word one typing error away
from an alternative also matches (haluun kuola ~ haluan kuolla). Danger to oneself needs
first-person intent or an act now ("haluan kuolla", "otin kaikki lääkkeet", "jag vill inte
leva"); a calm message about a death or a past suicide ("veli teki itsemurhan viime vuonna")
is not a crisis; violence needs the present tense (lyö, slår), a threat, or a weapon now.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.matching.analysis import Keys, default_analyzer
from bot.matching.text import Token

GAP = 3
ME = "minä|mä|mää|mie|mua|mut|minua|minut|mulle|minulle|itseni|itteni|itseäni|itteeni|meidät"
WANT = ("haluta|halua|haluan|haluun|haluu|haluaisin|haluisin|aion|aijon|aikoa|meinaan|meinata|ajattelen|mietin|"
        "suunnittelen|harkitsen|toivon|toivoisin")
PILLS = ("pilleri*|lääk*|tablet*|unilääk*|buranaa|panadolia|piller|medicin*|sömntabl*|burk|alvedon|"
         "panodil|ipren")
WEAPON_FI = "puukko*|puukon|veitsi*|veitsen|ase|aseen|aseella|kirve*|pyssy*|haulikko*"
WEAPON_SV = "kniv|kniven|vapen|vapnet|pistol*|gevär*|yxa*"
RULES: tuple[tuple[int | str, ...], ...] = (
    # --- Finnish: danger to oneself -----------------------------------------------------
    ("mention", "itsemurha-ajat*|itsemurha-ajatuks*|itsetuhoi*|itsetuhoaj*|itsari*"),
    (WANT, "itsemurha*"), ("teen|tekisin|teenkö|tekemään", "itsemurha*"),
    (WANT + "|voisin|pitäisi|pitäis", "tappaa|tapan|tappaisin|tappamaan", ME + "|itse"),
    ("tappaa|tapan|tappaisin|tapaa|tapan", "itseni|itteni|itseäni|ittensä|itteeni"),
    ("ei|en", "haluta|halua|haluu|jaksaa|jaksa", "elää|elämään|olemassa"),
    ("ei|en", "halua", "enää", "elää|olla|herätä"),
    (WANT, "kuolla|kuola|kuolisin|kuolemaan|pois"),
    ("toivon|toivoisin|toivoisi", "kuolisin|kuollut|etten|heräisi"),
    ("etten", "heräisi|herää|heräis"), ("nukahtaa", "enkä", "herätä|heräisi|heräis"),
    ("lopettaa|lopetan|päättää|päätän", "elämä*|kaikki|kaiken|päivä*|tämän|tän"),
    ("vahingoittaa|satuttaa|satutan|satutin|viiltää|viillän|viilsin|viillellä",
     "itse*|itte*|rante*|ranne*|käsivar*|kättä|käteen"),
    ("vuotaa|vuotanut", "verta|paljon"), ("veri", "ei", "lakkaa|lopu|tyrehdy"),
    ("viiltel*|viillel*|viillell*",),
    ("hypätä|hyppään|hyppäisin", "silta*|parvek*|juna*|katol*|alas|kerrokse*|veteen"),
    ("place", "seison|seisoo|olen|oon|istun", "silla*|raiteilla|kaiteella|kaiteen"),
    ("parempi|helpompi|helpompaa", "ilman", "minä|mua|minua"),
    ("jos", "mua|minua|mä|minä|mun", "ei", "ois|olisi|olis|olla"),
    ("elämä", "ei", "olla", "elämisen|arvoinen"), ("ei", "ole|oo", "syytä|järkeä", "elää"),
    ("pills", "aion|aikoa|meinaan|aikoo", "ottaa|syödä|niellä|vetää", "kaikki|kaikkia|" + PILLS),
    ("pills", "otin|otti|ottaa|ottanut|söin|söi|syönyt|nielaisin|nielin|nieli|vedin",
     "paljon|kaikki|purkin|purkillisen|liikaa|kasan|jotain", PILLS),
    ("yliannos*",), ("hirttää|hirttäytyä|hirttäydyn|hukuttaa|hukutan|hirttäydyn",),
    ("ostin|hankin|hankkinut|ostanut", "köy*|narun"),
    ("kirjoitin|kirjotin|kirjoittanut|kirjottanu", "jäähyväis*|hyvästit|hyvästi*"),
    ("jäähyväiskirje*",), ("olen|oon", "taakka", "kaikille|muille"),
    ("en|ei", "ole|oo", "hengissä"), ("lupaa*", "hengissä"),
    ("teen", "sen", "tänään|tänä|nyt|huomenna"), (4, "tänä|tänään|huomenna", "teen|tapan", "sen"),
    ("mietin|ajattelen|meinaan", "hyppää*|hypätä|hyppäis*"),
    (4, "katolla|sillalla|parvekkeella|kaiteella", "hyppää*|hypätä|hyppäis*"),
    ("ei|ole", "herää|heräis|hengitä"),
    (4, "kiitos", "kaikesta", "anteek*"), (2, "tänään|tänä", "loppuu"),
    ("en|ei", "ole|oo", "enää", "huomenna|täällä"), (8, WEAPON_FI, "itse*|itte*"),
    ("ajan|ajaa", "päin", "rekkaa|puuta|seinää|kalliota|junaa|rekkaan"),
    ("enkä|en", "tule|tuu", "takaisin|takasin"), ("murtautu*|murtautumassa",),
    # --- Finnish: violence now, threats, harm to others -----------------------------------
    ("violence", "lyö|lyövät|hakkaa|hakkaavat|potkii|kuristaa|pahoinpitelee|raiskaa|riehuu",
     ME + "|äiti*|isä*|lasta|lapsia|lapsi*|siskoa|veljeä|vaimoa|miestä|naista|naisen|meitä|häntä|"
     "jotakuta|nyt|just|parhaillaan"),
    ("raiskasi|raiskattiin|kuristi",), ("lukitsi|lukitsee", "oven|minut|mut|meidät"),
    ("lukossa|vangittu*|lukinnut",),
    ("uhata|uhkaa|uhkailee|uhkasi|uhkaili",
     "tappaa|tappavansa|tapan|satuttaa|puukottaa|ampua|" + WEAPON_FI),
    (WEAPON_FI, "uhkaa|uhkailee|kädessä|kourassa|taskussa"),
    (6, "seisoo|oven|ovella|tulossa|pihalla", WEAPON_FI),
    ("et|että|aikoo|meinaa|yrittää|uhkaa|huutaa", "tappaa|tappavansa", "mut|minut|minua|mua|meidät|meitä"),
    ("pelätä|pelkään|pelottaa", "tappaa|lyö|satuttaa|kuolla|henkeni|hengen*"),
    (WANT + "|tekisi", "tappaa|satuttaa|ampua|puukottaa|tappamaan",
     "jonkun|häne*|hänet|sen|naapuri*|ihmisi*|kaikki|opettaja*|ne"),
    ("tapan|tapan", "sen|hänet|ton|tuon|jonkun|teidät|kaikki"),
    ("tuon|tuo|vien", "ase*|puukon|veitsen", "koulu*|töihin|työpaikalle"),
    ("kohta|nyt|just", "satutan|lyön|hakkaan|tapan", "jonkun|jotain|jotakin|häntä|sitä|sen|ihmisen"),
    ("en|ei", "pysty|pysy|voi", "hillitä|hillitsee|hillitsemään", "itse*|itte*"),
    ("pelkään", "että|et", "satutan|satuttaisin|vahingoitan"),
    ("hengenvaara*|henkihieve*",), ("en|ei", "uskalla", "mennä|lähteä", "kotiin"),
    ("en|ei", "uskalla", "kotiin"),
    ("lukitsin|lukittauduin|piiloudun|piileskelen", "itseni|vessaan|huoneeseen|kaappiin"),
    ("oon|olen|olemme|ollaan", "piilossa"),
    # --- Swedish ---------------------------------------------------------------------------
    ("mention", "självmordstank*|självmordsplan*|självskad*"), ("mention", "självmord*", "tank*|plan*"),
    ("tänka|tänker|funderar|funderade|planera|planerar|vilja|vill|ska|kommer", "självmord*"),
    ("ska|tänker|vill|kommer|att|tänkte", "ta", "livet|mitt|sitt|hans|hennes", "av|a|liv"),
    ("tar", "livet|mitt", "av|a|liv"),
    ("vilja|vill", "inte", "leva|finnas|vakna"), ("orkar", "inte", "leva"),
    ("inte", "finnas", "kvar"), ("vilja|vill", "dö|försvinna"),
    ("önskar", "jag", "var", "död"), ("önskar", "att", "jag", "dog|var"),
    ("utväg", "dö|döden|självmord"), ("ingen", "idé", "att", "leva"),
    ("skada|skär|skära|skadar", "mig|mej"),
    ("pills", "tagit|tog|ätit|åt|svalt|svalde", "massa|alla|hela|för|många|en", PILLS),
    ("överdos*",), ("hänga|hänger", "mig|mej"), ("dränka", "mig|mej"),
    ("bättre", "utan", "mig|mej"), ("köpt|köpa|skaffat", "rep"),
    ("skrivit", "avskedsbrev|farväl"), ("avskedsbrev",),
    ("place", "står|sitter", "på", "bron|taket|balkongen|spåret|räcket"), ("hoppa", "från|framför|ner"),
    (6, "garage*", "motor*"), (8, WEAPON_SV, "mig|mej", "själv"),
    ("violence", "slår|misshandlar|sparkar|stryper|våldtar",
     "mig|mej|oss|mamma|pappa|barnen|henne|honom|nu"), ("våldtog|ströp",),
    ("hotar|hota|hotade", "döda|dödar|skada|slå|" + WEAPON_SV),
    (WEAPON_SV, "hotar|hotade|handen"), (6, "står|utanför|dörren|kommer", WEAPON_SV),
    ("blöder", "mycket|kraftigt"), ("slutar", "inte", "blöda"),
    ("rädd", "döda|dödar|slår|dör|livet"), ("rädd", "att", "jag", "gör", "illa"),
    ("vågar", "inte", "gå|åka", "hem"),
    ("ska|kommer|vill|hotar", "döda|skada|skjuta|hugga"),
    ("låst|låste|gömmer|gömt", "in|mig|sig|oss"),
    ("om", "jag", "inte", "fanns|finns|levde"), ("gör|göra", "slut", "på", "allt|mig|livet"),
    ("vaknar|andas", "inte|konstigt"), ("inte", "lova", "lever|leva"),
    ("tänker|ska", "jag", "ta", "dem|alla"),
    # --- English -------------------------------------------------------------------------------
    ("kill", "myself"), ("want", "to", "die"), ("suicide|suicidal",), ("end", "my", "life"),
)

# Phrases that look like danger but are not: bets, killing time, dying of laughter, a whole
# life in a rented flat, thoughts that were long ago.
NOT_DANGER = (
    ("lyö|lyödä|lyövät|löi|lyön", "vetoa|veto|vetoja|rahaa"),
    ("slår|slog|slå", "vad|ihjäl"),
    ("tappaa|tapan|tapoin", "aikaa|aika"),
    ("kuolen|kuolin|kuolla", "nauru*|tylsyyteen|häpeään|uteliaisuuteen"),
    ("dör|dog", "av"),
    ("elää", "koko"),
    ("hade|hadde", "självmordstank*"), ("oli|olin", "itsemurha-ajat*|itsemurha-ajatuks*"),
    ("ihan|aivan|melkein", "kuollakseni"),
)

# Words that make a class of rules calm: a professional or a bystander asking about someone
# else's thoughts ("mention"), pills packed for a trip ("pills"), asking the way ("place").
RULE_CLASSES = ("mention", "pills", "place", "violence")
CALM_CONTEXT = {
    "mention": "asiakas*|asiakkaa*|klient*|potila*|patient*|oppila*|elev*|kurator*|"
               "sairaanhoitaja*|sosiaalityöntekijä*|lärare|opettaja*|vuotta|år|sitten|sedan",
    "pills": "mukaan|reissu*|matka*|resa|resan|intyg*|todistu*|apteek*|resept*",
    "place": "ligger|håll|kontor*|toimisto*|bussi*|buss*|missä|var|junaa|tåget|lunta|snö",
    "violence": "kun|ku|aina|joskus|usein|humalassa|kännissä|när|ibland|ofta|alltid|druckit|full",
}
# ... unless the message says it is happening now.
NOW = "nyt|just|juuri|parhaillaan|heti|nu|genast|apua|hjälp"


def _parse(rule: tuple[int | str, ...]) -> tuple[str, int, tuple[str, ...]]:
    """(class, gap, slots) of a rule written as ([class], [gap], slot, ...)."""
    cls = rule[0] if rule[0] in RULE_CLASSES else ""
    rest = rule[1:] if cls else rule
    gap = rest[0] if isinstance(rest[0], int) else GAP
    return cls, gap, tuple(x for x in rest if isinstance(x, str))


class _Compiled:
    """The rules as slot ids, with lookup tables from words to the slots they fill."""

    def __init__(self) -> None:
        rules = [_parse(r) for r in RULES]
        slots = sorted({s for rule in (*[r[2] for r in rules], *NOT_DANGER,
                                       (*CALM_CONTEXT.values(), NOW)) for s in rule})
        self.slot_id = {s: i for i, s in enumerate(slots)}
        self.exact: dict[str, set[int]] = {}
        self.prefix: dict[str, set[int]] = {}
        for s, i in self.slot_id.items():
            for alt in s.split("|"):
                table = self.prefix if alt.endswith("*") else self.exact
                table.setdefault(alt.rstrip("*"), set()).add(i)
        self.prefix_lengths = sorted({len(p) for p in self.prefix})
        self.typo_targets = tuple(sorted(w for w in self.exact if len(w) >= 5))
        self.rules = [(cls, gap, [self.slot_id[x] for x in slots]) for cls, gap, slots in rules]
        self.calm = {cls: self.slot_id[slot] for cls, slot in CALM_CONTEXT.items()}
        self.now = self.slot_id[NOW]
        self.not_danger = [(self.slot_id[a], self.slot_id[b]) for a, b in NOT_DANGER]

    def slots_of(self, tok: Token, keys: Keys) -> set[int]:
        words = {tok.lower, *keys.full, *keys.parts}
        an = default_analyzer()
        if len(tok.lower) >= 4 and not (an.fi_known(tok.lower) or an.sv_known(tok.lower)):
            near = process.extractOne(tok.lower, self.typo_targets, scorer=Levenshtein.distance,
                                      score_cutoff=1)
            if near:
                words.add(near[0])
        found: set[int] = set()
        for w in words:
            found |= self.exact.get(w, set())
            for n in self.prefix_lengths:
                if n > len(w):
                    break
                found |= self.prefix.get(w[:n], set())
        return found


@lru_cache(maxsize=1)
def _compiled() -> _Compiled:
    return _Compiled()


def _rule_matches(gap: int, slots: list[int], filled: list[set[int]]) -> bool:
    for start in range(len(filled)):
        if slots[0] not in filled[start]:
            continue
        pos, ok = start, True
        for slot in slots[1:]:
            nxt = next((j for j in range(pos + 1, min(pos + 2 + gap, len(filled)))
                        if slot in filled[j]), None)
            if nxt is None:
                ok = False
                break
            pos = nxt
        if ok:
            return True
    return False


def _without_harmless(c: _Compiled, filled: list[set[int]]) -> list[set[int]]:
    drop = set()
    for i in range(len(filled) - 1):
        for first, second in c.not_danger:
            if first in filled[i] and second in filled[i + 1]:
                drop |= {i, i + 1}
    return [f for i, f in enumerate(filled) if i not in drop]


def is_crisis(tokens: list[Token], keys: list[Keys]) -> bool:
    """True when the message signals acute danger to the writer or to someone else."""
    c = _compiled()
    filled = _without_harmless(c, [c.slots_of(t, k) for t, k in zip(tokens, keys)])
    now = any(c.now in f for f in filled)
    calm = {cls for cls, slot in c.calm.items() if any(slot in f for f in filled)
            and not (cls == "violence" and now)}
    return any(_rule_matches(gap, slots, filled) for cls, gap, slots in c.rules if cls not in calm)
