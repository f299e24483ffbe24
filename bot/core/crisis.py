"""Crisis first: recognise a message that signals acute danger.

Rules are sequences of slots matched in order over the question's words (at most ``GAP``
words between slots). A slot lists alternatives — a base form or a written word — and
``word*`` for a prefix. Danger to oneself needs first-person intent or an act now ("haluan
kuolla", "otin kaikki lääkkeet", "jag vill inte leva"), so a calm message about a death or a
past suicide ("veli teki itsemurhan viime vuonna") is not a crisis; violence needs the present
tense (lyö, slår), a threat, or fear for one's life now.
"""

from __future__ import annotations

from bot.matching.analysis import Keys
from bot.matching.text import Token

GAP = 3
I_ME = "minä|mä|mää|mie|mua|mut|minua|minut|mulle|minulle|itseni|itteni|itseäni|itteeni"
WANT = "haluta|halua|haluan|haluaisin|haluisin|aion|aikoa|meinaan|meinata|ajattelen|mietin|suunnittelen|harkitsen|toivon|toivoisin"
DIE = "kuolla|kuolisin|kuolen|kuolemaan|kuollut|kuolleeks*|kuolleeksi"
KILL_FI = "tappaa|tapan|tappaisin|tappamaan|tapaisin"
RULES: tuple[tuple[str, ...], ...] = (
    # --- Finnish: danger to oneself -----------------------------------------------------
    ("itsemurha-ajat*|itsemurha-ajatuks*|itsetuhoi*|itsetuhoaj*|itsetuhoajatuk*",),
    (WANT, "itsemurha*"), ("teen|tekisin|teenkö|tekemään", "itsemurha*"),
    (WANT + "|voisin|pitäisi|pitäis", KILL_FI, I_ME + "|itse"),
    (KILL_FI, "itseni|itteni|itseäni|ittensä|itteeni"),
    ("ei|en", "haluta|halua|jaksaa|jaksa", "elää|elämään|olemassa"),
    ("ei|en", "halua", "enää", "elää|olla|herätä"),
    (WANT, DIE + "|pois|kuolla"), ("toivon|toivoisin|toivoisi", "kuolisin|kuollut|etten|heräisi"),
    ("etten", "heräisi|herää|heräis"), ("nukahtaa", "enkä", "herätä|heräisi|heräis"),
    ("lopettaa|lopetan|päättää|päätän", "elämä*|kaikki|kaiken|päivä*|tämän|tän"),
    ("vahingoittaa|satuttaa|satutan|satutin|viiltää|viillän|viilsin|viillellä", "itse*|itte*|ranteet|ranteita"),
    ("viiltel*|viillel*|viillell*",),
    ("hypätä|hyppään|hypätä|hyppäisin", "silta*|parvek*|juna*|katol*|alas|kerrokse*|veteen"),
    ("seison|seisoo|olen|oon", "silla*|katolla|parvekkeella|raiteilla"),
    ("parempi|helpompi|helpompaa", "ilman", "minä|mua|minua|mua"),
    ("jos", "mua|minua|mä|minä|mun", "ei", "ois|olisi|olis|olla"),
    ("elämä", "ei", "olla", "elämisen|arvoinen"), ("ei", "ole|oo", "syytä|järkeä", "elää"),
    ("aion|aikoa|meinaan|aikoo", "ottaa|syödä|niellä|vetää", "kaikki|kaikkia|lääk*|pilleri*|tablet*"),
    ("otin|otti|ottanut|söin|syönyt|nielaisin|nielin|vedin", "paljon|kaikki|purkin|purkillisen|liikaa|kasan", "lääk*|pilleri*|tablet*|unilääk*|buranaa|panadolia"),
    ("yliannos*",), ("hirttää|hirttäytyä|hirttäydyn|hukuttaa|hukutan", ),
    ("kirjoitin|kirjotin|kirjoittanut", "jäähyväis*|hyvästit|hyvästi*"), ("jäähyväiskirje*",),
    ("olen|oon", "taakka", "kaikille|muille"),
    # --- Finnish: violence now, threats, harm to others -----------------------------------
    ("lyö|lyövät|hakkaa|hakkaavat|potkii|kuristaa|pahoinpitelee|raiskaa|raiskasi|kuristi|riehuu",),
    ("uhata|uhkaa|uhkailee|uhkasi|uhkaili", "tappaa|tappavansa|tapan|satuttaa|puukottaa|ampua|puukolla|aseella|veitsellä"),
    ("pelätä|pelkään|pelottaa", "tappaa|tappaa|lyödä|satuttaa|kuolla|henkeni|hengen*"),
    (WANT + "|tekisi", "tappaa|satuttaa|ampua|puukottaa|tappamaan", "jonkun|häne*|hänet|sen|naapuri*|ihmisi*|kaikki|opettaja*|ne"),
    ("tuon|tuo|vien", "ase*|puukon|veitsen", "koulu*|töihin|työpaikalle"),
    ("hengenvaara*|henkihieve*",), ("en|ei", "uskalla", "mennä|kotiin|lähteä"),
    ("lukitsin|lukittauduin|piiloudun|piileskelen", "itseni|vessaan|huoneeseen|kaappiin"),
    ("puukko|veitsi|ase|kirves", "kädessä|kourassa"),
    # --- Swedish ---------------------------------------------------------------------------
    ("självmordstank*|självmordsplan*|självskad*",), ("självmord*", "tank*|plan*"),
    ("tänka|tänker|funderar|funderade|planera|planerar|vilja|vill|ska|kommer", "självmord*"),
    ("ta|tar", "livet|mitt", "av|liv"), ("ta", "mitt", "liv"),
    ("vilja|vill", "inte", "leva|finnas|vakna"), ("orkar", "inte", "leva"),
    ("vilja|vill", "dö|försvinna"), ("önskar", "jag", "var", "död"), ("önskar", "att", "jag", "dog|var"),
    ("skada|skär|skära|skadar", "mig|mig själv"),
    ("tagit|tog|ätit|åt|svalt|svalde", "massa|alla|hela|för|många|en", "tablett*|piller|medicin*|sömntabl*|burk"),
    ("överdos*",), ("hänga|hänger", "mig"), ("dränka", "mig"),
    ("bättre", "utan", "mig"), ("köpt|köpa|skaffat", "rep"), ("skrivit", "avskedsbrev|farväl"),
    ("står", "på", "bron|taket|balkongen|spåret"), ("hoppa", "från|framför|ner"),
    ("slår|misshandlar|sparkar|stryper|våldtar|våldtog|ströp",),
    ("hotar|hota|hotade", "döda|dödar|skada|slå|kniv|kniven|vapen"),
    ("rädd", "döda|dödar|slår|dör|livet"), ("vågar", "inte", "gå|åka", "hem"),
    ("ska|kommer|vill|hotar", "döda|skada|skjuta|hugga"),
    ("kniv|vapen|pistol|gevär", "i", "handen"),
    # --- English -------------------------------------------------------------------------------
    ("kill", "myself"), ("want", "to", "die"), ("suicide|suicidal",), ("end", "my", "life"),
)

# Phrases that look like danger but are not: bets, killing time, dying of laughter.
NOT_DANGER = (
    ("lyö|lyödä|lyövät|löi", "vetoa|veto|vetoja|rahaa"),
    ("slår|slog|slå", "vad|ihjäl"),
    ("tappaa|tapan|tapoin", "aikaa|aika"),
    ("kuolen|kuolin|kuolla", "nauru*|tylsyyteen|häpeään|uteliaisuuteen"),
    ("dör|dog", "av"),
)


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
