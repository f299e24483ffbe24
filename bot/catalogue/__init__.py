"""The catalogue contract: schema, loading with file:line errors, places and built-ins."""

from bot.catalogue.errors import CatalogueError, CatalogueProblem
from bot.catalogue.loader import load_catalogue
from bot.catalogue.model import Area, Catalogue, Provider, Service, SynonymGroup, Topic

__all__ = [
    "Area",
    "Catalogue",
    "CatalogueError",
    "CatalogueProblem",
    "Provider",
    "Service",
    "SynonymGroup",
    "Topic",
    "load_catalogue",
]
