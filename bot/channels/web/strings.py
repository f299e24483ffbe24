"""The web chat's interface strings: one table, translated with gettext (domain ``web``).

The page template fills ``{{key}}`` from it and the script asks ``GET /api/i18n/{lang}``
for it when the language is switched, so no user-facing text lives only in JavaScript.
"""

from __future__ import annotations

from bot.i18n import N_, translator

DOMAIN = "web"

UI: dict[str, str] = {
    "app_name": N_("Hyteopas"),
    "page_title": N_("Hyteopas – find help and activities near you"),
    "tagline": N_("Ask about support, activities and help for wellbeing near you. "
                  "You get a few services to contact."),
    "skip_link": N_("Skip to the question"),
    "language_label": N_("Language"),
    "municipality_label": N_("Your municipality"),
    "municipality_any": N_("Not chosen (all of Finland)"),
    "municipality_hint": N_("Services in your municipality are shown first."),
    "conversation_label": N_("Conversation"),
    "question_label": N_("Your question"),
    "question_placeholder": N_("For example: I feel lonely, where could I meet people?"),
    "question_hint": N_("Press Enter to send, Shift+Enter for a new line."),
    "send": N_("Send"),
    "searching": N_("Searching…"),
    "you": N_("You"),
    "results_intro": N_("These services may help:"),
    "results_intro_crisis": N_("Support you can also turn to:"),
    "more": N_("Show more options"),
    "crisis_title": N_("If you are in danger right now"),
    "report_outdated": N_("Report outdated information"),
    "report_thanks": N_("Thank you! The information will be checked."),
    "error_generic": N_("Sorry, something went wrong. Please try again in a moment."),
    "error_rate": N_("Too many questions in a short time. Please wait a moment and try again."),
    "error_too_long": N_("The question is too long. Please shorten it."),
    "error_empty": N_("Please write a question first."),
    "privacy": N_("Your questions are not saved. The service gives information about services, "
                  "not diagnoses or treatment."),
    "emergency": N_("In an emergency, call 112."),
    "noscript": N_("The chat needs JavaScript to work."),
    "share_link": N_("Link to this card"),
    "share_title": N_("Service card"),
    "share_as_text": N_("The card as plain text"),
    "share_print_hint": N_("To print the card, use your browser's print command."),
    "share_not_found": N_("This service is no longer in the catalogue."),
    "share_back": N_("Ask Hyteopas"),
}


def ui_strings(language: str) -> dict[str, str]:
    """The interface strings in ``language`` (fi or sv)."""
    _ = translator(language, DOMAIN)
    return {key: _(msgid) for key, msgid in UI.items()}
