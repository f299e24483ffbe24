"""Tokens and word lists shared by the analysers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

TOKEN = re.compile(r"\w+(?:[-'’:]\w+)*", re.UNICODE)
MAX_QUESTION_CHARS = 2000
MAX_TOKENS = 80

FI_STOPWORDS = set("""
ja tai sekä mutta että kun jos koska niin kuin myös vain vielä jo nyt sitten siellä täällä
on ole olen olet olemme ovat oli ollut olla olisi onko oisko ois eikö ei en et emme eivät ette
minä mä mää mie mun mulle multa mulla mua minun minua minulle minulla minulta meidän meille meillä
sinä sä sun sulle sulla sinun sinulle hän se sen sitä siitä sille he ne niiden niitä me te
tämä tää tätä tässä tuo tuota joka jotka mikä mitä mistä missä mihin minne miten millainen
kuka ketä kenen kenelle keneltä mikä milloin miksi montako paljonko kuinka mitkä mikäli
voi voiko voisi voisiko voin voisin saa saako saisi saisiko saan saisin voitko voisitko
hei moi moikka terve hyvää päivää kiitos kiitti kiitoksia please ok okei no noh niinku tota
tosi tosiaan aika ihan vähän paljon hyvin kovasti todella erittäin melko
jotain jotakin jokin joku jonkun joitain mitään mitkään mikään kukaan kaikki jokainen
olisiko löytyy löytyykö löytyisikö löytyis onks onk olis oisko onkos tietää tiedätkö
haluan haluaisin haluisin tarvitsen tarvitsisin tarviin tarttisin tarvis tarttis
yksi kaksi uusi hyvä kiva asun asuu asutaan asumme asuvat asuva
kunnolla kunnon oikein aina koko ajan just juuri enää ikinä
mist mis mihi miten mite mitä mikä mil kenel ketä mul sul sil meil teil niil mulle sulle
oo oon oot ollu ollut olin olit olis oisin ois sais saisin vois voisin voiks pitäis pitäisi
et ku kun sit sitte nii niin vaa vaan kans kanssa jotai jotain jostain jonnekin johonkin
tääl täällä siel siellä tänne sinne tos tossa tuol tuolla nyt vielä sitä tätä noi nää ne
suomi suomen suomessa
""".split())

SV_STOPWORDS = set("""
och eller men att som om när då så också bara redan nu sedan där här
är var varit vara blir blev bli har hade haft ha kan kunde skulle ska vill ville måste får fick
jag mig min mitt mina du dig din ditt dina han hon den det de dem vi oss vår våra ni er hans
hennes deras man en ett någon något några ingen inget inga alla allt varje
vad vem vilken vilket vilka var vart varför hur när hurdan
i på av för till från med utan om under över hos vid mot efter innan genom
hej hejsan tack snälla tjena ok okej jo nej ja
finns finnes hittar hitta hittas söker letar få kunna behöver behövde vet veta
mycket lite ganska väldigt jättemycket riktigt verkligen ny bra bor bo många flera
finland
""".split())

STOPWORDS = FI_STOPWORDS | SV_STOPWORDS


def normalise(text: str) -> str:
    """NFC, drop invisible format characters (zero-width spaces and joiners, BOM), turn other
    control characters into spaces, cap the length."""
    text = unicodedata.normalize("NFC", text[: MAX_QUESTION_CHARS * 4])
    text = "".join("" if unicodedata.category(ch) == "Cf" else " "
                   if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    return text[:MAX_QUESTION_CHARS]


@dataclass(frozen=True)
class Token:
    surface: str  # as written
    lower: str
    position: int

    @property
    def capitalised(self) -> bool:
        return self.surface[:1].isupper()


def tokenize(text: str, limit: int = MAX_TOKENS) -> list[Token]:
    out = []
    for i, m in enumerate(TOKEN.finditer(text)):
        if i >= limit:
            break
        w = m.group(0).replace("’", "'")
        out.append(Token(w, w.casefold(), i))
    return out


def fold(word: str) -> str:
    """Lower-case and fold ä/ö/å to a/o/a, for typo tolerance."""
    return word.casefold().translate(str.maketrans("äöåé", "aoae"))
