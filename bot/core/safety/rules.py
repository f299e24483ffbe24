"""Rules that recognise acute danger in the words of a message, by kind.

Rules are sequences of slots matched in order over the question's words, with at most
``GAP`` words between slots (a rule may start with its own gap). A slot lists alternatives:
a base form or a written word, ``word*`` for a prefix. A written word one typing error away
from an alternative also matches (haluun kuola ~ haluan kuolla). Danger to oneself needs
first-person intent or an act now ("haluan kuolla", "otin kaikki lääkkeet", "jag vill inte
leva"); a calm message about a death or a past suicide ("veli teki itsemurhan viime vuonna")
is not a crisis; violence needs the present tense (lyö, slår), a threat, or a weapon now.
"""

from __future__ import annotations

from dataclasses import dataclass
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
         "panodil|ipren|paratabs*|panacod*|pamol*|parasetamol*|ibuprofeeni*|burana*|treo*|"
         "paracetamol*|citodon*")
WEAPON_FI = "puukko*|puukon|veitsi*|veitsen|ase|aseen|aseella|kirve*|pyssy*|haulikko*"
WEAPON_SV = "kniv|kniven|vapen|vapnet|pistol*|gevär*|yxa*"
RULES: dict[str, tuple[tuple[int | str, ...], ...]] = {
    "suicide": (
        # Finnish
        ("mention", "itsemurha-ajat*|itsemurha-ajatuks*|itsetuhoi*|itsetuhoaj*|itsari*"),
        (WANT, "itsemurha*"), ("teen|tekisin|teenkö|tekemään", "itsemurha*"),
        (WANT + "|voisin|pitäisi|pitäis", "tappaa|tapan|tappaisin|tappamaan", ME + "|itse"),
        ("tappaa|tapan|tappaisin|tapaa|tapan", "itseni|itteni|itseäni|ittensä|itteeni"),
        ("ei|en", "haluta|halua|haluu|jaksaa|jaksa", "elää|elämään|olemassa"),
        ("ei|en", "halua", "enää", "elää|olla"), ("wake", "ei|en", "halua|haluu", "enää", "herätä"),
        ("wake", "ei|en", "halua|haluu", "herätä", "enää|ikinä|koskaan"),
        ("wake", "ei|en", "halua|haluu", "herätä"),
        ("hyvästi|hyvästit", "kaikki|kaikille"), ("farväl", "allihop|alla|tack"),
        ("en", "kestä|kestäis", "elämää|elämä*"),
        (WANT, "kuolla|kuola|kuolisin|kuolemaan|pois"),
        ("toivon|toivoisin|toivoisi", "kuolisin|kuollut|etten|heräisi"),
        ("etten", "heräisi|herää|heräis"), ("nukahtaa", "enkä", "herätä|heräisi|heräis"),
        ("lopettaa|lopetan|päättää|päätän", "elämä*|kaikki|kaiken|päivä*|tämän|tän"),
        ("hypätä|hyppään|hyppäisin", "silta*|parvek*|juna*|katol*|alas|kerrokse*|veteen"),
        ("place", "seison|seisoo|olen|oon|istun", "silla*|raiteilla|kaiteella|kaiteen"),
        ("parempi|helpompi|helpompaa", "ilman", "minä|mua|minua"),
        ("jos", "mua|minua|mä|minä|mun", "ei", "ois|olisi|olis|olla"),
        ("elämä", "ei", "olla", "elämisen|arvoinen"), ("ei", "ole|oo", "syytä|järkeä", "elää"),
        ("hirttää|hirttäytyä|hirttäydyn|hukuttaa|hukutan|hirttäydyn",),
        ("ostin|hankin|hankkinut|ostanut", "köy*|narun"),
        ("kirjoitin|kirjotin|kirjoittanut|kirjottanu", "jäähyväis*|hyvästit|hyvästi*"),
        ("jäähyväiskirje*",), ("olen|oon", "taakka", "kaikille|muille"), ("olen|oon", "taakka*"),
        ("pärjäis|pärjäisi|pärjäisivät|pärjäisitte", "paremmin", "ilman", "minua|mua|minuu"),
        ("en|ei", "ole|oo", "hengissä"), ("lupaa*", "hengissä"),
        ("teen", "sen", "tänään|tänä|nyt|huomenna"), (4, "tänä|tänään|huomenna", "teen|tapan", "sen"),
        ("mietin|ajattelen|meinaan", "hyppää*|hypätä|hyppäis*"),
        (4, "katolla|sillalla|parvekkeella|kaiteella", "hyppää*|hypätä|hyppäis*"),
        (4, "kiitos", "kaikesta", "anteek*"), (2, "tänään|tänä", "loppuu"),
        ("en|ei", "ole|oo", "enää", "huomenna|täällä"), (8, WEAPON_FI, "itse*|itte*"),
        ("ajan|ajaa", "päin", "rekkaa|puuta|seinää|kalliota|junaa|rekkaan"),
        ("enkä|en", "tule|tuu", "takaisin|takasin"),
        # Swedish
        ("mention", "självmordstank*|självmordsplan*|självskad*"),
        ("mention", "självmord*", "tank*|plan*"),
        ("mention", "tänka|tänker|funderar|funderade|planera|planerar|vilja|vill|ska|kommer",
         "självmord*"),
        ("ska|tänker|vill|kommer|att|tänkte", "ta", "livet|mitt|sitt|hans|hennes", "av|a|liv"),
        ("tar", "jag|ja", "livet|mitt", "av|a|liv"), ("jag|ja", "tar", "livet|mitt", "av|a|liv"),
        ("vilja|vill", "inte", "leva|finnas"), ("wake", "vilja|vill", "inte", "vakna"),
        ("wake", "vilja|vill", "inte|int", "vakna", "mer|igen|någonsin|nånsin"),
        ("orkar", "inte", "leva"), ("står", "inte", "ut", "livet|leva"),
        ("inte", "finnas", "kvar"), ("vilja|vill", "dö|försvinna"),
        ("önskar", "jag", "var", "död"), ("önskar", "att", "jag", "dog|var"),
        ("utväg", "dö|döden|självmord"), ("ingen", "idé", "att", "leva"),
        ("hänga|hänger", "mig|mej"), ("dränka", "mig|mej"),
        ("bättre", "utan", "mig|mej"), ("köpt|köpa|skaffat", "rep"), ("är", "börda|en börda"),
        ("skrivit", "avskedsbrev|farväl"), ("avskedsbrev",),
        ("place", "står|sitter", "på", "bron|järnvägsbron|taket|balkongen|spåret|räcket"),
        ("hoppa", "från|framför|ner"),
        (6, "garage*", "motor*"), (8, WEAPON_SV, "mig|mej", "själv"),
        ("om", "jag", "inte", "fanns|finns|levde"), ("gör|göra", "slut", "på", "allt|mig|livet"),
        ("inte", "lova", "lever|leva"),
        # English
        ("kill", "myself"), ("want", "to", "die"), ("suicide|suicidal",), ("end", "my", "life"),
    ),
    "overdose": (  # an overdose or self-harm, intended, happening or taken
        ("vahingoittaa|satuttaa|satutan|satutin|viiltää|viillän|viilsin|viillellä",
         "itse*|itte*|rante*|ranne*|käsivar*|kättä|käteen"),
        ("vuotaa|vuotanut", "verta|paljon"), ("veri", "ei", "lakkaa|lopu|tyrehdy"),
        ("viiltel*|viillel*|viillell*",),
        ("pills", "aion|aikoa|meinaan|aikoo", "ottaa|syödä|niellä|vetää", "kaikki|kaikkia|" + PILLS),
        ("pills", "otin|otti|ottaa|ottanut|söin|söi|syönyt|nielaisin|nielin|nieli|vedin",
         "paljon|kaikki|purkin|purkkia|puoli|purkillisen|liikaa|kasan|jotain|koko|paketin|pakkauksen|liuskan",
         PILLS),
        ("mention", "yliannos*"),
        (6, "otin|söin|vedin|join|nielin", "päälle|kanssa|lisäksi", PILLS),
        (6, PILLS, "päälle|kanssa", "viina*|alkoholi*|kalja*|viini*"),
        ("avata|avaan|aukaista|aukaisen|viiltää|viillän", "ranteet|ranteeni|ranteen|suonet"),
        ("poltan|poltin|polttaa|polttanut", "itseäni|itteäni|itseni|itteni|ihoani|kättäni"),
        ("skada|skär|skära|skadar", "mig|mej"),
        ("pills", "tagit|tog|ätit|åt|svalt|svalde",
         "massa|alla|hela|för|många|en|paket|paketet|burken", PILLS),
        ("mention", "överdos*"), ("blöder", "mycket|kraftigt"), ("slutar", "inte", "blöda"),
        ("tänker|ska", "jag", "ta", "dem|alla"),
        ("pills", "ska|tänker|kommer", "ta|äta|svälja", "allihop|alla|hela|dem"),
        ("skär|skära|skar", "upp", "handled*|ådrorna"),
        ("bränner|brände|bränt|bränna", "mig|mej|huden"),
        (6, "drack|druckit", "tog|tagit", PILLS),
    ),
    "violence": (  # violence happening or threatened now, harm to others
        ("violence", "lyö|lyövät|hakkaa|hakkaavat|potkii|kuristaa|pahoinpitelee|raiskaa|riehuu",
         ME + "|äiti*|isä*|lasta|lapsia|lapsi*|siskoa|veljeä|vaimoa|miestä|naista|naisen|meitä|"
         "häntä|jotakuta|nyt|just|parhaillaan"),
        ("raiskasi|raiskattiin|kuristi",), ("lukitsi|lukitsee", "oven|minut|mut|meidät"),
        ("lukossa|vangittu*|lukinnut",),
        ("uhata|uhkaa|uhkailee|uhkasi|uhkaili",
         "tappaa|tappavansa|tapan|satuttaa|puukottaa|ampua|lyödä|hakata|" + WEAPON_FI),
        (WEAPON_FI, "uhkaa|uhkailee|kädessä|kourassa|taskussa"),
        (6, "seisoo|oven|ovella|tulossa|pihalla", WEAPON_FI),
        ("et|että|aikoo|meinaa|yrittää|uhkaa|huutaa", "tappaa|tappavansa",
         "mut|minut|minua|mua|meidät|meitä"),
        ("pelätä|pelkään|pelottaa", "tappaa|lyö|satuttaa|kuolla|henkeni|hengen*"),
        ("fiction", WANT + "|tekisi", "tappaa|satuttaa|ampua|puukottaa|tappamaan",
         "jonkun|häne*|hänet|sen|naapuri*|ihmisi*|kaikki|opettaja*|ne"),
        ("fiction", "tapan", "sen|hänet|ton|tuon|jonkun|teidät|kaikki"),
        ("huutaa|huutavat|huusi|kirkuu", "apua"),
        ("tuon|tuo|vien", "ase*|puukon|veitsen", "koulu*|töihin|työpaikalle"),
        ("kohta|nyt|just", "satutan|lyön|hakkaan|tapan", "jonkun|jotain|jotakin|häntä|sitä|sen|ihmisen"),
        ("en|ei", "pysty|pysy|voi", "hillitä|hillitsee|hillitsemään", "itse*|itte*"),
        ("pelkään", "että|et", "satutan|satuttaisin|vahingoitan"),
        ("hengenvaara*|henkihieve*",), ("en|ei", "uskalla", "mennä|lähteä", "kotiin"),
        ("en|ei", "uskalla", "kotiin"),
        ("lukitsin|lukittauduin|piiloudun|piileskelen", "itseni|vessaan|huoneeseen|kaappiin"),
        ("oon|olen|olemme|ollaan", "piilossa"), ("murtautu*|murtautumassa",),
        ("violence", "slår|misshandlar|sparkar|stryper|våldtar",
         "mig|mej|oss|mamma|pappa|barnen|henne|honom|nu"), ("våldtog|ströp",),
        ("hotar|hota|hotade", "döda|dödar|skada|slå|" + WEAPON_SV),
        (WEAPON_SV, "hotar|hotade|handen"), (6, "står|utanför|dörren|kommer", WEAPON_SV),
        ("rädd", "döda|dödar|slår|dör|livet"), ("rädd", "att", "jag", "gör", "illa"),
        ("rädd", "att", "jag", "skadar|skada|slår|dödar"),
        ("kan", "inte", "kontrollera|behärska", "mig|mej"),
        (6, "seuraa|seurailee|vainoaa", "mua|minua|mut|minut|perässäni",
         "pelkä*|pelotta*|hätä|apua"),
        (6, "följer|förföljer", "efter", "mig|mej", "rädd*|jätterädd*|hjälp"),
        ("vågar", "inte", "gå|åka", "hem"),
        ("fiction", "ska|kommer|vill|hotar", "döda|skada|skjuta|hugga"),
        ("skriker|ropar|skrek", "på", "hjälp"),
        ("låst|låste|gömmer|gömt", "in|mig|sig|oss"),
    ),
    "child": (  # a child taken or held by force, left alone with no sober adult; someone fallen
        (8, "yksin|yksinään", "sammu*|ryyppä*|kännis*|humalas*|juomassa|dokaa*"),
        (8, "ensam|ensamma|ensamt", "däck*|super|full|fulla|droger|berusad*|väck"),
        (6, "kaatunut|kaatui|ramlat|ramlade|föll|fallit", "ei|inte", "pääse|pääsee|upp|ylös"),
        (8, "karannut|karkasi|karannu|rymt|rymde", "mies*|miehen|man|mannen|äldre|vanhan"),
        (4, "raahasi|raahaa|kaappasi|kaappaa|pakotti|pakottaa|vei|vie",
         "lasta|lapsen|lapsi|tyttöä|tytön|poikaa|pojan|vauvan|vauvaa", "väkisin|autoon"),
        (4, "drog|drar|tvingade|tvingar|kidnappade|kidnappar",
         "barn|barnet|flicka|flickan|pojke|pojken|bebisen", "våld|bil|bilen"),
    ),
    "medical": (  # someone not waking or breathing
        ("ei|ole", "herää|heräis|hengitä"), ("vaknar|andas", "inte|konstigt"),
        ("suu|suupieli|kasvot", "roikkuu|roikkuvat|vinossa"), ("sammalta*|puuroutu*",),
        ("kouristelee|kouristaa",),
        (6, "rintakipu*|rintakivu*|rinnassa|rintaa", "hikoil*|hiki*|kalpea|henkeä|pyörty*"),
        (6, "bröstet|bröstsmärt*", "kallsvett*|svettas|svettig|blek|andfådd|svimma*"),
        ("munnen|mungipan|ansiktet", "hänger"), ("sluddrar",),
    ),
}
KINDS = tuple(RULES)

# Words of harm to life and body: only a message with one of them goes on to the meaning
# check, so that a worried or sad question about a service is never read as an emergency by
# its mood alone. Generic vocabulary of danger (death, self-harm, medicines, violence, a child
# taken or left, the signs of a medical emergency), not phrases of any message.
CUES = (
    "kuol*|kuole*|elää|elämä*|olemassa|herä*|nukahta*|hengi*|itsemurh*|itsari*|tappa*|tapan|"
    "hirt*|hukut*|hypä*|hyppä*|silta*|sillal*|rata*|radal*|raite*|juna*|köy*|hyväst*|jäähyväi*|"
    "testament*|viimei*|viimenen|lopullise*|taakka*|kado*|katoa*|viilt*|viill*|satut*|vahingoit*|"
    "polta*|poltin|terä*|ranne*|rante*|veri|verta|vuota*|yliannos*|lääk*|pilleri*|tablet*|"
    "unilääk*|purk*|myrky*|niel*|lyö*|lyödä|löi|hakka*|potki*|kuris*|uhka*|uhkail*|puukko*|"
    "veitsi*|veitse*|ase|aseen|aseella|ampu*|kirve*|raisk*|lukin*|lukit*|lukossa|pelkää*|"
    "pelkä*|pelot*|piilo*|väkisin|raaha*|raivo*|sammu*|ravistel*|karan*|kaapa*|"
    "tajut*|kouristel*|kourist*|rintakip*|rintakiv*|sinise*|sinert*|veltto*|pyörty*|kaatu*|"
    "oksent*|turpo*|allergi*|halvau*|sammalt*|puuroutu*|hätä*|apua|liiku*|"
    "ohi|loppu*|lopet*|päättä*|päätin|suunnitelm*|päivämäär*|heipat|heippa|syy*|huomi*|"
    "tavara*|kirje*|liikaa|tahallaan|tahallani|kama*|paketi*|paratab*|burana*|yksin|"
    "ryyppä*|kännis*|humalas*|"
    "dö|dör|dog|död*|döda*|leva|livet|finnas|vakna*|somna*|självmord*|häng*|dränk*|hoppa*|"
    "bron|järnvägsbro*|spår*|tåg*|rep|repet|farväl|hejdå|sista|försvinn*|börda|skär*|skada*|"
    "bränn*|rakblad*|handled*|blod*|blöd*|överdos*|medicin*|tablett*|piller|sömntablett*|burk*|"
    "sväl*|svalde|slå|slår|slog|sparka*|stryp*|ströp|hot*|kniv*|vapen*|skjut*|yxa*|"
    "våldt*|låst*|låse*|rädd*|jätterädd*|göm*|tvinga*|drog|drar|rasande|däcka*|skaka*|rymt|"
    "kidnapp*|medvetslös*|andas|kramp*|bröstsmärt*|bröstet|blå|slapp|"
    "svimma*|ramla*|kräk*|svulln*|allergi*|sluddr*|nöd*|hjälp|rör|"
    "över|slut|avslut*|plan|planen|datum|ge|gett|gav|mening*|fortsätt*|morgondag*|imorgon|"
    "brev*|för|mycket|flit|droger*|paket*|alvedon|ipren|ensam*|super|full|fulla|våld*|vilja|"
    "kvar|"
    "die|kill|suicid*")

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
RULE_CLASSES = ("mention", "pills", "place", "violence", "wake", "fiction")
EVERYDAY = ("wake", "fiction")  # their calm context marks the whole message as everyday
CALM_CONTEXT = {
    "mention": "asiakas*|asiakkaa*|klient*|potila*|patient*|oppila*|elev*|kurator*|"
               "sairaanhoitaja*|sosiaalityöntekijä*|lärare|opettaja*|vuotta|år|sitten|sedan|"
               "kurssi*|kurs|kursen|ensiapu*|koulutu*|utbildning*|nuorena|ung|teini*|tonåring*",
    "wake": "aikaisin|tidigt|töihin|jobbet|kouluun|skolan",
    "fiction": "peli*|pelaan|pelissä|spel|spelet|spelar|elokuva*|leffa*|film*|zombi*|romaani*|"
               "dekkari*|deckare",
    "pills": "mukaan|reissu*|matka*|resa|resan|intyg*|todistu*|apteek*|resept*",
    "place": "ligger|håll|kontor*|toimisto*|bussi*|buss*|missä|var|junaa|tåget|lunta|snö",
    "violence": "kun|ku|aina|joskus|usein|humalassa|kännissä|när|ibland|ofta|alltid|druckit|full",
}
# A time long past: a calm memory unless the message also says now.
PAST = ("vuonna|vuosia|vuotta|nuorena|lapsena|teininä|keväänä|kesänä|syksyllä|talvena|"
        "året|år|fjol|våras|hösten|vintras|ung|tonåring")
# ... unless the message says it is happening now.
NOW = "nyt|just|juuri|parhaillaan|heti|tänään|tänä|nu|genast|idag|ikväll|inatt|apua|hjälp"


def _parse(rule: tuple[int | str, ...]) -> tuple[str, int, tuple[str, ...]]:
    """(class, gap, slots) of a rule written as ([class], [gap], slot, ...)."""
    cls = rule[0] if rule[0] in RULE_CLASSES else ""
    rest = rule[1:] if cls else rule
    gap = rest[0] if isinstance(rest[0], int) else GAP
    return cls, gap, tuple(x for x in rest if isinstance(x, str))


class _Compiled:
    """The rules as slot ids, with lookup tables from words to the slots they fill."""

    def __init__(self) -> None:
        rules = [(kind, *_parse(r)) for kind, group in RULES.items() for r in group]
        slots = sorted({s for rule in (*[r[3] for r in rules], *NOT_DANGER,
                                       (*CALM_CONTEXT.values(), NOW, CUES, PAST)) for s in rule})
        self.slot_id = {s: i for i, s in enumerate(slots)}
        self.exact: dict[str, set[int]] = {}
        self.prefix: dict[str, set[int]] = {}
        for s, i in self.slot_id.items():
            for alt in s.split("|"):
                table = self.prefix if alt.endswith("*") else self.exact
                table.setdefault(alt.rstrip("*"), set()).add(i)
        self.prefix_lengths = sorted({len(p) for p in self.prefix})
        self.typo_targets = tuple(sorted(w for w in self.exact if len(w) >= 5))
        self.rules = [(kind, cls, gap, [self.slot_id[x] for x in slots])
                      for kind, cls, gap, slots in rules]
        self.calm = {cls: self.slot_id[slot] for cls, slot in CALM_CONTEXT.items()}
        self.now = self.slot_id[NOW]
        self.cue = self.slot_id[CUES]
        self.past = self.slot_id[PAST]
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


@dataclass(frozen=True)
class RuleReading:
    """What the rules read. ``kinds``: the kinds of acute danger matched (empty: none);
    ``everyday``: a rule matched but a game, a film or getting up early set it aside, so the
    message is plainly everyday; ``cue``: a word of harm to life or body occurs; ``past``: the
    message speaks of a time long past and not of now."""

    kinds: frozenset[str]
    everyday: bool
    cue: bool
    past: bool


def read_rules(tokens: list[Token], keys: list[Keys]) -> RuleReading:
    """Read the message's words with the rules."""
    c = _compiled()
    filled = _without_harmless(c, [c.slots_of(t, k) for t, k in zip(tokens, keys)])
    now = any(c.now in f for f in filled)
    calm = {cls for cls, slot in c.calm.items() if any(slot in f for f in filled)
            and not (cls == "violence" and now)}
    hits = [(kind, cls) for kind, cls, gap, slots in c.rules if _rule_matches(gap, slots, filled)]
    return RuleReading(frozenset(k for k, cls in hits if cls not in calm),
                       any(cls in calm and cls in EVERYDAY for _, cls in hits),
                       any(c.cue in f for f in filled),
                       not now and any(c.past in f for f in filled))
