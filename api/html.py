"""The Jinja2 templates of the HTML pages (``api/templates/``), autoescaped.

Every value from the graph reaches HTML through a template with autoescape on,
so a hostile label renders as text, never as markup.
"""

from __future__ import annotations

from importlib.resources import files

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

_ENV = Environment(
    loader=FileSystemLoader(str(files("ietfkg.api") / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
templates = Jinja2Templates(env=_ENV)
