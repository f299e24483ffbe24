"""Labels of the contract's codes (provider kinds, audiences, costs) as gettext messages."""

from __future__ import annotations

from bot.i18n import N_, Translator

PROVIDER_KINDS = {
    "association": N_("association"),
    "municipality": N_("municipality"),
    "parish": N_("parish"),
    "wellbeing_area": N_("wellbeing services county"),
    "state": N_("state"),
    "other": N_("other organisation"),
}
AUDIENCES = {
    "children": N_("children"),
    "youth": N_("young people"),
    "families": N_("families"),
    "adults": N_("adults"),
    "elderly": N_("older people"),
    "immigrants": N_("immigrants"),
}
COSTS = {"free": N_("free of charge"), "fee": N_("fee charged"), "varies": N_("cost varies")}
LANGUAGE_NAMES = {
    "fi": N_("Finnish"), "sv": N_("Swedish"), "en": N_("English"), "ru": N_("Russian"),
    "ar": N_("Arabic"), "so": N_("Somali"), "et": N_("Estonian"), "uk": N_("Ukrainian"),
    "fa": N_("Persian"), "se": N_("Sami"),
}


def label(table: dict[str, str], code: str, t: Translator) -> str:
    """The translated label of ``code``, or the code itself for one the table lacks."""
    return t(table[code]) if code in table else code
