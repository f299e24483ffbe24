"""Synthetic catalogues in the contract format (catalogue-format.md) and questions for them.

Deterministic (seeded) Finnish/Swedish text from service types, templates and word lists,
spread over all 309 municipalities of knowledge/builtin/municipalities.csv. Venue and
group names are compounds of two or three parts drawn from word lists, so the vocabulary
keeps growing with the catalogue as a real one does (proper names, local group names),
instead of saturating at the template words.

    python -m benchmarks.synthetic OUT_DIR --services 10000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from bot.config import BUILTIN_DIR

FILE_SIZE = 2000  # services per YAML file (the brief: ≤ 2 000)

# ------------------------------------------------------------------------------ service types
# (slug, name fi, name sv, activity fi, activity sv, keywords fi, keywords sv, topics, audiences,
#  provider kinds)


@dataclass(frozen=True)
class Kind:
    slug: str
    name_fi: str
    name_sv: str
    what_fi: str
    what_sv: str
    kw_fi: tuple[str, ...]
    kw_sv: tuple[str, ...]
    topics: tuple[str, ...]
    audiences: tuple[str, ...] = ()
    providers: tuple[str, ...] = ("association",)


def K(slug, nfi, nsv, wfi, wsv, kfi, ksv, topics, aud="", prov="association"):
    return Kind(slug, nfi, nsv, wfi, wsv, tuple(kfi.split(", ")) if kfi else (),
                tuple(ksv.split(", ")) if ksv else (), tuple(topics.split()),
                tuple(aud.split()), tuple(prov.split()))


KINDS: tuple[Kind, ...] = (
    K("ystavatoiminta", "Ystävätoiminta", "Vänverksamhet",
      "Vapaaehtoinen ystävä tulee kotiin tai lähtee kanssasi kävelylle ja asioille",
      "En frivillig vän kommer hem till dig eller följer med på promenad och ärenden",
      "ystävä, seura, yksinäisyys, kotikäynti", "vän, sällskap, ensamhet, hembesök",
      "loneliness volunteering", "elderly", "association parish"),
    K("olohuone", "Seniorien olohuone", "Seniorernas vardagsrum",
      "Avoin kohtaamispaikka, jossa voi juoda kahvit, lukea lehtiä ja jutella muiden kanssa",
      "En öppen mötesplats där man kan dricka kaffe, läsa tidningar och prata med andra",
      "kohtaamispaikka, kahvila, juttuseura", "mötesplats, kafé, sällskap",
      "loneliness hobbies", "elderly", "association municipality"),
    K("kuunteleva-puhelin", "Kuunteleva puhelin", "Lyssnande telefon",
      "Puhelinpalvelu, johon voi soittaa kun kaipaa juttukaveria tai haluaa puhua huolistaan",
      "En telefontjänst dit du kan ringa när du saknar någon att prata med eller vill dela dina bekymmer",
      "puhelin, keskustelu, yksinäisyys", "telefon, samtal, ensamhet",
      "loneliness mental_health", "", "association parish"),
    K("mielenterveysneuvonta", "Mielenterveysneuvonta", "Rådgivning om psykisk hälsa",
      "Luottamuksellisia keskusteluja ahdistukseen, masennukseen ja uupumukseen ilman lähetettä",
      "Förtroliga samtal om ångest, nedstämdhet och utmattning utan remiss",
      "ahdistus, masennus, uupumus, jaksaminen", "ångest, nedstämdhet, utmattning, ork",
      "mental_health", "adults", "wellbeing_area association"),
    K("klubitalo", "Klubitalo", "Klubbhuset",
      "Mielenterveyskuntoutujien yhteisö, jossa tehdään yhdessä arjen töitä ja opiskellaan",
      "En gemenskap för personer som återhämtar sig från psykisk ohälsa, med gemensamt arbete och studier",
      "kuntoutuja, yhteisö, työpainotteinen päivä", "rehabilitering, gemenskap, arbetsinriktad dag",
      "mental_health peer_support employment", "adults", "association"),
    K("kriisikeskus", "Kriisikeskus", "Kriscenter",
      "Nopeaa keskusteluapua äkillisen kriisin, onnettomuuden tai menetyksen jälkeen",
      "Snabbt samtalsstöd efter en plötslig kris, en olycka eller en förlust",
      "kriisi, järkytys, keskusteluapu", "kris, chock, samtalsstöd",
      "crisis mental_health", "", "association wellbeing_area"),
    K("paihdeneuvonta", "Päihdeneuvonta", "Missbruksrådgivning",
      "Neuvontaa ja tukea alkoholin, huumeiden tai lääkkeiden käytön vähentämiseen",
      "Rådgivning och stöd för att minska bruket av alkohol, droger eller läkemedel",
      "alkoholi, huumeet, päihteet, riippuvuus", "alkohol, droger, missbruk, beroende",
      "substance_use", "adults", "wellbeing_area association"),
    K("a-kilta", "A-kilta", "AA-gruppen",
      "Vertaistukiryhmä raitistumiseen ja raittiina pysymiseen, kokoontuu viikoittain",
      "En kamratstödsgrupp för att bli och förbli nykter, träffas varje vecka",
      "raittius, vertaistuki, alkoholi", "nykterhet, kamratstöd, alkohol",
      "substance_use peer_support", "adults", "association"),
    K("peliriippuvuus", "Peliriippuvuuden tuki", "Stöd vid spelberoende",
      "Tukea rahapelaamisen hallintaan ja pelivelkojen selvittämiseen",
      "Stöd för att få kontroll över penningspel och reda ut spelskulder",
      "rahapelit, peliongelma, pelivelat", "penningspel, spelproblem, spelskulder",
      "substance_use finances", "", "association"),
    K("liikuntaneuvonta", "Liikuntaneuvonta", "Motionsrådgivning",
      "Liikuntaneuvoja auttaa löytämään sopivan lajin ja tekee kanssasi liikuntasuunnitelman",
      "En motionsrådgivare hjälper dig hitta en lämplig gren och gör upp en motionsplan med dig",
      "liikunta, kuntoilu, kuntosali", "motion, träning, gym",
      "exercise health_advice", "adults", "municipality"),
    K("senioriliikunta", "Senioriliikunta", "Seniormotion",
      "Ohjattua tuolijumppaa, vesijumppaa ja tasapainoharjoittelua ikääntyneille",
      "Ledd stolgympa, vattengympa och balansträning för äldre",
      "jumppa, tasapaino, vesijumppa", "gympa, balans, vattengympa",
      "exercise", "elderly", "municipality association"),
    K("ravitsemusryhma", "Painonhallintaryhmä", "Viktkontrollgrupp",
      "Ryhmätapaamisia terveellisestä ruokavaliosta ja painonhallinnasta",
      "Gruppträffar om hälsosam kost och viktkontroll",
      "ruokavalio, paino, laihdutus", "kost, vikt, bantning",
      "nutrition health_advice", "adults", "wellbeing_area association"),
    K("kiusaamisen-vastainen", "Kiusaamisen vastainen tuki", "Stöd mot mobbning",
      "Apua kiusatuille lapsille ja nuorille sekä heidän vanhemmilleen",
      "Hjälp för barn och unga som blir mobbade och för deras föräldrar",
      "kiusaaminen, koulukiusaaminen, nettikiusaaminen", "mobbning, skolmobbning, nätmobbning",
      "bullying", "children youth", "association municipality"),
    K("perhekahvila", "Perhekahvila", "Familjecafé",
      "Vauvaperheiden ja pikkulasten vanhempien avoin tapaamispaikka leikkinurkkauksineen",
      "En öppen träffpunkt för babyfamiljer och småbarnsföräldrar med lekhörna",
      "perhekahvila, vauva, vanhemmat", "familjecafé, bebis, föräldrar",
      "family loneliness", "families", "parish association municipality"),
    K("perheneuvola", "Perheneuvola", "Familjerådgivning",
      "Tukea kasvatukseen, vanhemmuuteen ja perheen ristiriitoihin",
      "Stöd i uppfostran, föräldraskap och konflikter i familjen",
      "kasvatus, vanhemmuus, perhe", "uppfostran, föräldraskap, familj",
      "family relationships", "families", "wellbeing_area"),
    K("pariterapia", "Parisuhdeneuvonta", "Parrådgivning",
      "Keskusteluja pariskunnille riitojen, kriisien ja eron keskellä",
      "Samtal för par mitt i gräl, kriser och skilsmässa",
      "parisuhde, ero, riidat", "parrelation, skilsmässa, gräl",
      "relationships family", "adults", "parish wellbeing_area"),
    K("omaishoitajat", "Omaishoitajien vertaisryhmä", "Kamratgrupp för närståendevårdare",
      "Omaishoitajat jakavat kokemuksia ja saavat tietoa vapaista ja tuista",
      "Närståendevårdare delar erfarenheter och får information om ledighet och stöd",
      "omaishoitaja, jaksaminen, vertaistuki", "närståendevårdare, ork, kamratstöd",
      "caregiving peer_support", "adults", "association"),
    K("lahisuhdevakivalta", "Lähisuhdeväkivaltatyö", "Arbete mot våld i nära relationer",
      "Keskusteluapua väkivaltaa kokeneille ja väkivaltaa käyttäneille",
      "Samtalsstöd för den som utsatts för eller använt våld",
      "väkivalta, turvakoti, perheväkivalta", "våld, skyddshem, familjevåld",
      "violence safety", "", "association wellbeing_area"),
    K("velkaneuvonta", "Talous- ja velkaneuvonta", "Ekonomi- och skuldrådgivning",
      "Maksutonta apua velkojen järjestelyyn, budjetointiin ja maksuhäiriöihin",
      "Kostnadsfri hjälp med skuldsanering, budget och betalningsanmärkningar",
      "velka, raha, budjetti, ulosotto", "skuld, pengar, budget, utmätning",
      "finances", "adults", "state municipality"),
    K("ruoka-apu", "Ruoka-apu", "Mathjälp",
      "Ruokakasseja ja yhteisiä aterioita vähävaraisille",
      "Matkassar och gemensamma måltider för dem med små inkomster",
      "ruokakassi, ruoanjako, leipäjono", "matkasse, matutdelning, matbank",
      "food_aid finances", "", "parish association"),
    K("tyonhaku", "Työnhaun tuki", "Stöd i jobbsökandet",
      "Apua työpaikan, koulutuksen tai kuntouttavan työtoiminnan löytämiseen",
      "Hjälp att hitta arbete, utbildning eller arbetsverksamhet i rehabiliteringssyfte",
      "työtön, työnhaku, ansioluettelo", "arbetslös, jobbsökande, cv",
      "employment", "adults youth", "municipality association"),
    K("etsiva-nuorisotyo", "Etsivä nuorisotyö", "Uppsökande ungdomsarbete",
      "Henkilökohtaista tukea alle 30-vuotiaille, kun koulu tai työ ei ole lähtenyt käyntiin",
      "Personligt stöd för unga under 30 när skola eller arbete inte kommit igång",
      "nuoret, opiskelupaikka, tuki arkeen", "unga, studieplats, stöd i vardagen",
      "employment loneliness mental_health", "youth", "municipality"),
    K("asumisneuvonta", "Asumisneuvonta", "Boenderådgivning",
      "Neuvontaa vuokranmaksuun, häätöuhkaan ja asunnon hakemiseen",
      "Rådgivning om hyresbetalning, vräkningshot och bostadssökande",
      "asunto, vuokra, häätö", "bostad, hyra, vräkning",
      "housing finances", "", "municipality"),
    K("sururyhma", "Sururyhmä", "Sorggrupp",
      "Suljettu ryhmä läheisensä menettäneille, ohjaajana diakoni",
      "En sluten grupp för dig som förlorat en närstående, ledd av en diakon",
      "suru, menetys, kuolema, leski", "sorg, förlust, död, änka",
      "grief peer_support", "adults", "parish"),
    K("kotoutuminen", "Kotoutumispalvelut", "Integrationstjänster",
      "Maahanmuuttajille alkukartoitus, kielikurssit ja ohjausta arjen asioissa",
      "Inledande kartläggning, språkkurser och handledning i vardagsärenden för invandrare",
      "maahanmuuttaja, kielikurssi, kotoutuminen", "invandrare, språkkurs, integration",
      "integration", "immigrants", "municipality association"),
    K("kielikahvila", "Kielikahvila", "Språkcafé",
      "Harjoittele suomea tai ruotsia rennosti vapaaehtoisten kanssa",
      "Öva finska eller svenska avslappnat med frivilliga",
      "kielikahvila, suomen kieli, keskustelu", "språkcafé, svenska, samtal",
      "integration loneliness", "immigrants", "association parish"),
    K("nuorisovaltuusto", "Nuorisovaltuusto", "Ungdomsfullmäktige",
      "Nuorten vaikuttamiskanava, joka tuo nuorten äänen kunnan päätöksiin",
      "Ungas påverkanskanal som för fram deras röst i kommunens beslut",
      "vaikuttaminen, aloite, nuoret", "påverkan, initiativ, unga",
      "participation", "youth", "municipality"),
    K("vapaaehtoiskeskus", "Vapaaehtoistoiminnan keskus", "Frivilligcentral",
      "Välittää vapaaehtoistehtäviä ja kouluttaa uusia vapaaehtoisia",
      "Förmedlar frivilliguppdrag och utbildar nya frivilliga",
      "vapaaehtoinen, talkoot, auttaminen", "frivillig, talko, hjälpa",
      "volunteering participation", "", "association"),
    K("harrastusryhmat", "Harrastusryhmät", "Hobbygrupper",
      "Kuoro, käsityöpiiri, lukupiiri ja retket kaikenikäisille",
      "Kör, handarbetscirkel, läsecirkel och utflykter för alla åldrar",
      "kuoro, käsityö, lukupiiri, retki", "kör, handarbete, läsecirkel, utflykt",
      "hobbies loneliness", "", "association parish municipality"),
    K("nuorisotila", "Nuorisotila", "Ungdomsgård",
      "Avoimet illat 13–17-vuotiaille: pelejä, musiikkia ja turvallinen aikuinen",
      "Öppna kvällar för 13–17-åringar: spel, musik och en trygg vuxen",
      "nuorisotalo, nuokkari, pelit", "ungdomsgård, fritidsgård, spel",
      "hobbies loneliness", "youth", "municipality parish"),
    K("digituki", "Digituki", "Digistöd",
      "Opastusta älypuhelimen, tietokoneen ja verkkopankin käyttöön",
      "Handledning i att använda smarttelefon, dator och nätbank",
      "digituki, älypuhelin, tietokone, verkkopankki", "digistöd, smarttelefon, dator, nätbank",
      "digital_support", "elderly", "municipality association"),
    K("terveyspiste", "Terveyspiste", "Hälsopunkt",
      "Verenpaineen mittausta ja terveysneuvontaa ilman ajanvarausta",
      "Blodtrycksmätning och hälsorådgivning utan tidsbokning",
      "verenpaine, terveysneuvonta, mittaus", "blodtryck, hälsorådgivning, mätning",
      "health_advice", "", "wellbeing_area association"),
    K("kotiturvallisuus", "Kotiturvallisuuskartoitus", "Kartläggning av hemsäkerhet",
      "Kotikäynti, jolla tarkistetaan palovaroittimet, liesivahti ja kaatumisriskit",
      "Ett hembesök där brandvarnare, spisvakt och fallrisker kontrolleras",
      "palovaroitin, kaatuminen, turvallisuus", "brandvarnare, fall, säkerhet",
      "safety", "elderly", "wellbeing_area association"),
    K("muistineuvonta", "Muistineuvonta", "Minnesrådgivning",
      "Neuvontaa muistihuoliin ja tukea muistisairaan läheisille",
      "Rådgivning vid minnesproblem och stöd för anhöriga till personer med minnessjukdom",
      "muisti, muistisairaus, dementia", "minne, minnessjukdom, demens",
      "memory caregiving", "elderly", "association wellbeing_area"),
    K("vammaisneuvonta", "Vammaisneuvonta", "Handikapprådgivning",
      "Neuvontaa vammaispalveluista, apuvälineistä ja esteettömyydestä",
      "Rådgivning om handikappservice, hjälpmedel och tillgänglighet",
      "vamma, apuväline, esteettömyys", "funktionsnedsättning, hjälpmedel, tillgänglighet",
      "disability", "", "association municipality"),
    K("diakonia", "Diakoniatyö", "Diakoniarbete",
      "Keskusteluapua, hengellistä tukea ja taloudellista apua elämän vaikeissa tilanteissa",
      "Samtalsstöd, andligt stöd och ekonomisk hjälp i svåra livssituationer",
      "diakonia, keskustelu, hengellinen tuki", "diakoni, samtal, andligt stöd",
      "spirituality finances loneliness", "", "parish"),
    K("seksuaalineuvonta", "Seksuaalineuvonta", "Sexualrådgivning",
      "Luottamuksellista neuvontaa seksuaalisuudesta, ehkäisystä ja sukupuolitaudeista",
      "Förtrolig rådgivning om sexualitet, preventivmedel och könssjukdomar",
      "seksuaalisuus, ehkäisy, seksitaudit", "sexualitet, preventivmedel, könssjukdomar",
      "sexual_health health_advice", "youth adults", "wellbeing_area association"),
    K("tukihenkilo", "Tukihenkilötoiminta", "Stödpersonverksamhet",
      "Koulutettu vapaaehtoinen tukihenkilö kulkee rinnalla arjen muutoksissa",
      "En utbildad frivillig stödperson finns vid din sida i vardagens förändringar",
      "tukihenkilö, vapaaehtoinen, arki", "stödperson, frivillig, vardag",
      "peer_support volunteering", "youth adults", "association"),
)

# ------------------------------------------------------------------------------ word lists
AUDIENCE_FI = {"elderly": "ikäihmisille", "youth": "nuorille", "children": "lapsille",
               "families": "lapsiperheille", "adults": "aikuisille", "immigrants": "maahanmuuttajille"}
AUDIENCE_SV = {"elderly": "för äldre", "youth": "för unga", "children": "för barn",
               "families": "för barnfamiljer", "adults": "för vuxna", "immigrants": "för invandrare"}
WHEN = [("kerran viikossa", "en gång i veckan"), ("joka toinen viikko", "varannan vecka"),
        ("kerran kuukaudessa", "en gång i månaden"), ("arkipäivisin", "på vardagar"),
        ("iltaisin", "på kvällarna"), ("viikonloppuisin", "på veckoslut"),
        ("keväällä ja syksyllä", "på våren och hösten"), ("ajanvarauksella", "med tidsbokning")]
VENUE = [("seurakuntatalolla", "i församlingshemmet"), ("kirjastossa", "på biblioteket"),
         ("järjestötalolla", "i föreningshuset"), ("monitoimitalolla", "i allaktivitetshuset"),
         ("palvelukeskuksessa", "på servicecentret"), ("nuorisotalolla", "på ungdomsgården"),
         ("verkossa", "på nätet"), ("puhelimitse", "per telefon"), ("koulun tiloissa", "i skolans utrymmen"),
         ("kauppakeskuksen kohtaamispaikassa", "på mötesplatsen i köpcentret")]
EXTRA_FI = ["Toimintaan voi tulla ilman ilmoittautumista.", "Mukaan voi ottaa läheisen.",
            "Ohjaajina toimivat koulutetut vapaaehtoiset.", "Tarjolla on kahvia ja pientä purtavaa.",
            "Palvelu on luottamuksellista.", "Tapaamisiin ei tarvita lähetettä.",
            "Ryhmässä on tilaa kymmenelle osallistujalle.", "Tiloihin pääsee pyörätuolilla.",
            "Tulkkaus järjestetään tarvittaessa.", "Kuljetusta voi kysyä etukäteen."]
EXTRA_SV = ["Man kan komma utan anmälan.", "Du kan ta med en närstående.",
            "Ledarna är utbildade frivilliga.", "Det bjuds på kaffe och tilltugg.",
            "Tjänsten är konfidentiell.", "Ingen remiss behövs.",
            "Gruppen har plats för tio deltagare.", "Lokalerna är tillgängliga med rullstol.",
            "Tolkning ordnas vid behov.", "Du kan fråga om skjuts i förväg."]
ACCESS = [("Soita ja varaa aika.", "Ring och boka tid."),
          ("Tule paikan päälle aukioloaikana.", "Kom på plats under öppettiderna."),
          ("Ilmoittaudu verkkolomakkeella.", "Anmäl dig via webbformuläret."),
          ("Lähetä sähköpostia ohjaajalle.", "Skicka e-post till ledaren."),
          ("Ammattilainen voi ohjata asiakkaan palveluun suoraan.",
           "En yrkesperson kan hänvisa klienten direkt till tjänsten.")]
HOURS = [("ma–pe 9–15", "mån–fre 9–15"), ("ti ja to 17–19", "tis och tors 17–19"),
         ("ke 12–16", "ons 12–16"), ("la 10–14", "lör 10–14"), ("24/7", "dygnet runt")]
# Venue / group names: compounds of these parts, such as Kotisatama, Tähtipirtti (see venue()).
NAME_A_FI = (  # noqa: SIM905 (a word list reads best as words)
    "koti kesä kevät tähti kuu aurinko meri järvi metsä koivu kuusi pihlaja kallio "
    "ranta satama silta polku portti tuuli lumi sade kukka omena mansikka sydän ilo "
    "toivo rauha valo lyhty kipinä verso oksa juuri lähde puro saari niemi kylä tori "
    "pelto niitty sammal kaisla kaarna kanerva lintu pääsky kurki joutsen karhu ilves "
    "hirvi kettu jänis orava siili majava kaste aamu ilta yö talvi syys"
).split()
NAME_B_FI = (  # noqa: SIM905 (a word list reads best as words)
    "tupa pirtti kammari maja koti piha kulma nurkka paikka pesä satama tori kahvila "
    "puoti aitta sauna huone talo kartano torppa mökki lato vaja kota laavu ranta "
    "helmi lyhty tuli kipinä kompassi ankkuri majakka silta portti polku"
).split()
NAME_A_SV = (  # noqa: SIM905 (a word list reads best as words)
    "hem sommar vår stjärn mån sol hav sjö skogs björk gran rönn klipp strand hamn "
    "bro stig grind vind snö regn blom äppel hjärt glädje hopp frid ljus lykt gnist "
    "rot käll bäck ö näs by torg fält äng mossa vass bark ljung fågel svala trana svan "
    "björn lo älg räv hare ekorre igelkott bäver dagg morgon kvälls natt vinter höst"
).split()
NAME_B_SV = (  # noqa: SIM905 (a word list reads best as words)
    "stugan kammaren hyddan gården hörnan platsen boet hamnen torget kaféet boden "
    "bastun rummet huset torpet ladan kåtan stranden pärlan lyktan elden gnistan "
    "kompassen ankaret fyren bron grinden stigen"
).split()
ASSOC_FI = ["Mieli ry", "Setlementti ry", "Eläkeläiset ry", "Vanhustuki ry", "Omaishoitajat ry",
            "Kriisityö ry", "Nuorisoseura ry", "Martat ry", "Punainen Risti, osasto",
            "Mannerheimin Lastensuojeluliitto, yhdistys", "Muistiyhdistys ry", "Invalidit ry",
            "Työttömät ry", "Ruokapankki ry", "Kylätoimikunta ry", "Monikulttuuriyhdistys ry"]
ASSOC_SV = ["Mielenterveysföreningen rf", "Settlementet rf", "Pensionärsförening rf",
            "Seniorstöd rf", "Närståendevårdarna rf", "Krisjouren rf", "Ungdomsförening rf",
            "Marthaförening rf", "Röda Korset, avdelning", "Folkhälsan, lokalförening",
            "Minnesförening rf", "Invalidförening rf", "Arbetslösa rf", "Matbanken rf",
            "Byarådet rf", "Mångkulturell förening rf"]
STREETS = ["Kirkkokatu", "Koulukatu", "Rantatie", "Asemakatu", "Puistotie", "Kauppakatu",
           "Myllytie", "Torikatu", "Sairaalantie", "Kirjastokatu", "Storgatan", "Skolvägen"]


# Common endings of place names whose case forms change the stem (Kauhajoki → Kauhajoen).
STEM_ENDINGS = {  # ending: (genitive, place case)
    "joki": ("joen", "joella"), "koski": ("kosken", "koskella"), "järvi": ("järven", "järvellä"),
    "lahti": ("lahden", "lahdessa"), "niemi": ("niemen", "niemellä"), "mäki": ("mäen", "mäellä"),
    "saari": ("saaren", "saaressa"), "lampi": ("lammen", "lammella"), "salmi": ("salmen", "salmella"),
    "vesi": ("veden", "vedellä"), "häme": ("hämeen", "hämeessä"), "linna": ("linnan", "linnassa"),
}


def _stem_ending(name: str, case: int) -> str | None:
    for end, forms in STEM_ENDINGS.items():
        if name.lower().endswith(end):
            head, tail = name[: len(name) - len(end)], forms[case]
            return head + (tail.capitalize() if name[len(head)].isupper() else tail)
    return None


def genitive(name: str) -> str:
    """Rough Finnish genitive of a place name (Pori → Porin); good enough for provider names."""
    if (form := _stem_ending(name, 0)) is not None:
        return form
    if name.endswith("nen"):
        return name[:-3] + "sen"
    if name.endswith("s"):
        return name[:-1] + "ksen"
    return name + "n" if name[-1] in "aeiouyäö" else name + "in"


def inessive(name: str) -> str:
    """Rough Finnish place case (Pori → Porissa); wrong forms act as everyday misspellings."""
    if (form := _stem_ending(name, 1)) is not None:
        return form
    back = any(c in name.lower() for c in "aou")
    if name.endswith("s"):
        return name[:-1] + ("ksessa" if back else "ksessä")
    base = name if name[-1] in "aeiouyäö" else name + "i"
    return base + ("ssa" if back else "ssä")


def slug(text: str) -> str:
    text = text.lower().translate(str.maketrans("äöåé", "aoae"))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str
    region_fi: str
    region_sv: str


def municipalities() -> list[Municipality]:
    with open(BUILTIN_DIR / "municipalities.csv", encoding="utf-8") as fh:
        return [Municipality(r["code"], r["name_fi"], r["name_sv"], r["region_fi"], r["region_sv"])
                for r in csv.DictReader(fh)]


# ------------------------------------------------------------------------------ catalogue
def _provider(rng: random.Random, kind: str, m: Municipality) -> dict:
    if kind == "municipality":
        fi, sv = f"{genitive(m.fi)} kunta", f"{m.sv} kommun"
    elif kind == "parish":
        fi, sv = f"{genitive(m.fi)} seurakunta", f"{m.sv} församling"
    elif kind == "wellbeing_area":
        fi, sv = f"{genitive(m.region_fi)} hyvinvointialue", f"{m.region_sv} välfärdsområde"
    elif kind == "state":
        fi, sv = "Oikeusaputoimisto", "Rättshjälpsbyrån"
    else:
        j = rng.randrange(len(ASSOC_FI))
        fi, sv = f"{genitive(m.fi)} {ASSOC_FI[j]}", f"{ASSOC_SV[j]} i {m.sv}"
    return {"id": slug(f"{kind}-{m.code}-{fi}")[:60], "name": {"fi": fi, "sv": sv}, "kind": kind}


def venue(rng: random.Random, first: list[str], last: list[str]) -> str:
    """A venue or group name: two or (half the time) three parts, Tähtipirtti, Kotitähtipirtti.
    About 2 500 two-part and 150 000 three-part names per language, so that the vocabulary
    keeps growing up to 100 000 services and more, as a real catalogue's proper names do."""
    head = rng.choice(first) + (rng.choice(first) if rng.random() < 0.5 else "")
    return head.capitalize() + rng.choice(last)


def service(rng: random.Random, n: int, munis: list[Municipality]) -> tuple[dict, dict]:
    """The n-th synthetic service and its provider."""
    kind = rng.choice(KINDS)
    m = rng.choice(munis)
    scope = rng.random()
    if scope < 0.12:
        areas, place_fi, place_sv = ["FI"], "koko Suomessa", "i hela Finland"
    elif scope < 0.25:
        areas, place_fi, place_sv = [m.region_fi], genitive(m.region_fi) + " alueella", f"i {m.region_sv}"
    else:
        areas = [m.fi] + ([rng.choice(munis).fi] if rng.random() < 0.1 else [])
        place_fi, place_sv = inessive(m.fi), f"i {m.sv}"
    pkind = rng.choice(kind.providers) if areas != ["FI"] else rng.choice(("association", "state"))
    provider = _provider(rng, pkind, m)
    venue_name_fi = venue(rng, NAME_A_FI, NAME_B_FI)
    venue_name_sv = venue(rng, NAME_A_SV, NAME_B_SV)
    aud = list(kind.audiences) if rng.random() < 0.8 else []
    when_fi, when_sv = rng.choice(WHEN)
    venue_fi, venue_sv = rng.choice(VENUE)
    who_fi = " ".join(AUDIENCE_FI[a] for a in aud[:1])
    who_sv = " ".join(AUDIENCE_SV[a] for a in aud[:1])
    x = rng.randrange(len(EXTRA_FI))
    r = rng.random()
    langs = ["fi", "sv"] if r < 0.6 else ["fi"] if r < 0.85 else ["sv"] if r < 0.95 else ["fi", "sv", "en"]
    text_langs = langs if rng.random() < 0.7 or langs == ["sv"] else sorted(set(langs) | {"fi", "sv"} - {"en"})
    name_fi = f"{kind.name_fi} {venue_name_fi}" if rng.random() < 0.5 else f"{kind.name_fi}, {m.fi}"
    name_sv = f"{kind.name_sv} {venue_name_sv}" if rng.random() < 0.5 else f"{kind.name_sv}, {m.sv}"
    summary_fi = f"{kind.what_fi} {who_fi} {place_fi} {when_fi}.".replace("  ", " ")
    summary_sv = f"{kind.what_sv} {who_sv} {place_sv} {when_sv}.".replace("  ", " ")
    desc_fi = f"{EXTRA_FI[x]} Tapaamiset {venue_fi}. {EXTRA_FI[(x + 3) % len(EXTRA_FI)]}"
    desc_sv = f"{EXTRA_SV[x]} Träffarna hålls {venue_sv}. {EXTRA_SV[(x + 3) % len(EXTRA_SV)]}"
    acc_fi, acc_sv = rng.choice(ACCESS)
    hours_fi, hours_sv = rng.choice(HOURS)
    svc: dict = {"id": f"{slug(m.fi)}-{kind.slug}-{n}", "provider": provider["id"], "name": {},
                 "summary": {}}
    for lang, name, summ, desc in (("fi", name_fi, summary_fi, desc_fi), ("sv", name_sv, summary_sv, desc_sv)):
        if lang in text_langs:
            svc["name"][lang] = name
            svc["summary"][lang] = summ
            if rng.random() < 0.5:
                svc.setdefault("description", {})[lang] = desc
    if rng.random() < 0.7:
        kw = {}
        if "fi" in text_langs:
            kw["fi"] = rng.sample(kind.kw_fi, k=min(len(kind.kw_fi), rng.randint(2, 4)))
        if "sv" in text_langs:
            kw["sv"] = rng.sample(kind.kw_sv, k=min(len(kind.kw_sv), rng.randint(2, 4)))
        svc["keywords"] = kw
    svc["topics"] = list(kind.topics)
    if aud:
        svc["audiences"] = aud
    svc["areas"] = areas
    svc["languages"] = langs
    svc["cost"] = rng.choice(("free", "free", "free", "fee", "varies"))
    svc["online"] = areas == ["FI"] and rng.random() < 0.5
    svc["access"] = {k: v for k, v in (("fi", acc_fi), ("sv", acc_sv)) if k in text_langs}
    svc["hours"] = {k: v for k, v in (("fi", hours_fi), ("sv", hours_sv)) if k in text_langs}
    svc["contact"] = {"phone": f"+358 40 {rng.randrange(1000000, 9999999)}",
                      "address": {"street": f"{rng.choice(STREETS)} {rng.randint(1, 60)}",
                                  "postal_code": f"{rng.randrange(10000, 99999)}", "city": m.fi}}
    svc["updated"] = f"2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
    return svc, provider


PLAIN = re.compile(r"[a-z][a-z0-9_-]*")
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _flow(value: object) -> str:
    """A value in YAML flow style; strings double-quoted (JSON escapes are YAML escapes)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, str) and PLAIN.fullmatch(value) and value not in YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def emit(data: dict[str, list[dict]]) -> str:
    """A services file as a coordinator would write it: block lists of services, flow-style
    text mappings and lists ({fi: "...", sv: "..."}, [a, b]). Far faster than yaml.dump."""
    out = []
    for section, items in data.items():
        out.append(f"{section}:")
        for item in items:
            first = True
            for k, v in item.items():
                out.append(f"{'  - ' if first else '    '}{k}: {_flow(v)}")
                first = False
            out.append("")
    return "\n".join(out)


def write_catalogue(folder: Path, n_services: int, seed: int = 6) -> Path:
    """Write ``n_services`` synthetic services to ``folder``/services/*.yaml; returns folder."""
    rng = random.Random(seed)
    munis = municipalities()
    out = Path(folder) / "services"
    out.mkdir(parents=True, exist_ok=True)
    for start in range(0, n_services, FILE_SIZE):
        providers: dict[str, dict] = {}
        services = []
        for n in range(start, min(n_services, start + FILE_SIZE)):
            svc, prov = service(rng, n, munis)
            providers.setdefault(prov["id"], prov)
            services.append(svc)
        # A provider id must be unique in the whole catalogue: keep each file's own.
        for p in providers.values():
            p["id"] = f"{p['id'][:50]}-{start // FILE_SIZE}"
        for s in services:
            s["provider"] = f"{s['provider'][:50]}-{start // FILE_SIZE}"
        (out / f"synthetic-{start // FILE_SIZE:03d}.yaml").write_text(
            "# Synthetic benchmark data, not real services.\n"
            + emit({"providers": list(providers.values()), "services": services}), encoding="utf-8")
    return Path(folder)


# ------------------------------------------------------------------------------ questions
Q_FI = ["{kw} {place}", "onko {place} {kw}", "mistä saa {kw} apua {place}", "tarvitsisin {kw} {place}",
        "{who} {kw} {place}", "{kw}", "löytyykö {kw} ryhmää {place}", "{need} {place}", "{need}"]
Q_SV = ["{kw} i {place}", "finns det {kw} i {place}", "var får man hjälp med {kw} i {place}",
        "jag söker {kw} i {place}", "{kw}", "{need} i {place}", "{need}"]
NEEDS_FI = ["mummo on tosi yksinäinen", "en jaksa enää mitään", "rahat loppu kesken kuun",
            "tarviin ruoka-apua", "poika kiusataan koulussa", "isä juo liikaa", "oon työtön ja masentunut",
            "äidin muisti pätkii", "vaimo kuoli ja oon ihan yksin", "haluisin tehdä vapaaehtoistyötä",
            "tarviin apua kännykän kanssa", "lapsi raivoaa koko ajan", "velat kasvaa",
            "häätö uhkaa", "muutin suomeen enkä tunne ketään"]
NEEDS_SV = ["mormor är väldigt ensam", "jag orkar inte längre", "pengarna tar slut",
            "behöver mathjälp", "sonen blir mobbad i skolan", "pappa dricker för mycket",
            "jag är arbetslös och nedstämd", "mammas minne sviker", "min fru dog och jag är ensam",
            "vill bli frivillig", "behöver hjälp med telefonen", "skulderna växer",
            "jag hotas av vräkning", "flyttade hit och känner ingen"]
WHO_FI = ["mummolle", "nuorelle", "lapselle", "äidille", "isälle", "itelle", "ystävälle"]


def typo(rng: random.Random, text: str) -> str:
    words = text.split()
    long_ = [i for i, w in enumerate(words) if len(w) >= 6]
    if not long_:
        return text
    i = rng.choice(long_)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]  # swap two letters
    return " ".join(words)


def synthetic_questions(n: int, seed: int = 7) -> list[str]:
    """Everyday questions over the synthetic catalogue's needs, places and words (10 % typos)."""
    rng = random.Random(seed)
    munis = municipalities()
    out = []
    while len(out) < n:
        kind = rng.choice(KINDS)
        m = rng.choice(munis)
        if rng.random() < 0.65:
            q = rng.choice(Q_FI).format(kw=rng.choice((*kind.kw_fi, kind.name_fi.lower())),
                                        place=inessive(m.fi), who=rng.choice(WHO_FI),
                                        need=rng.choice(NEEDS_FI))
        else:
            q = rng.choice(Q_SV).format(kw=rng.choice((*kind.kw_sv, kind.name_sv.lower())),
                                        place=m.sv, need=rng.choice(NEEDS_SV))
        out.append(typo(rng, q) if rng.random() < 0.1 else q)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--services", type=int, default=1000)
    args = ap.parse_args()
    write_catalogue(args.folder, args.services)
    print(f"{args.services} services in {args.folder}/services")


if __name__ == "__main__":
    main()
