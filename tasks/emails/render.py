"""Email rendering: Jinja2 templates compiled once, rendered to subject, plain text and HTML.

A template `<name>` is three files in `config/templates/`: `<name>.subject.j2`,
`<name>.txt.j2` and `<name>.html.j2`. Optional `<name>.easy.txt.j2` and
`<name>.easy.html.j2` hold an easy-read variant (short sentences, one idea each),
used when a programme asks for it. Files starting with `_` are shared layouts.
Undefined variables raise (StrictUndefined); only the HTML part is autoescaped.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from config.settings import PACKAGE_CONFIG_DIR

TEMPLATES_DIR = PACKAGE_CONFIG_DIR / "templates"


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class _CompiledTemplate:
    subject: Template
    text: Template
    html: Template
    easy_text: Template | None
    easy_html: Template | None


class UnknownTemplateError(LookupError):
    pass


def _autoescape_html(name: str | None) -> bool:
    return bool(name) and name.endswith(".html.j2")


class EmailRenderer:
    """Holds one Jinja2 environment and every template, compiled on first use and kept."""

    def __init__(self, templates_dir: Path = TEMPLATES_DIR):
        self.templates_dir = Path(templates_dir)
        self.environment = Environment(
            loader=FileSystemLoader(str(self.templates_dir)),
            undefined=StrictUndefined,
            autoescape=_autoescape_html,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,
        )
        self._compiled: dict[str, _CompiledTemplate] = {}

    def template_names(self) -> list[str]:
        """Every complete template (one with subject, text and HTML parts)."""
        names = {path.name.removesuffix(".subject.j2") for path in self.templates_dir.glob("*.subject.j2")}
        return sorted(name for name in names if not name.startswith("_"))

    def has_easy_read(self, template: str) -> bool:
        compiled = self._compile(template)
        return compiled.easy_text is not None

    def render(self, template: str, context: dict, *, easy_read: bool = False) -> RenderedEmail:
        text, html = self.render_body(template, context, easy_read=easy_read)
        return RenderedEmail(subject=self.render_subject(template, context), text=text, html=html)

    def render_body(self, template: str, context: dict, *, easy_read: bool = False) -> tuple[str, str]:
        """The plain-text and HTML parts (the easy-read ones when asked for and present)."""
        compiled = self._compile(template)
        text_template, html_template = compiled.text, compiled.html
        if easy_read and compiled.easy_text is not None:
            text_template = compiled.easy_text
            html_template = compiled.easy_html or compiled.html
        return text_template.render(context), html_template.render(context)

    def render_subject(self, template: str, context: dict) -> str:
        subject = self._compile(template).subject.render(context)
        return " ".join(subject.split())

    def _compile(self, template: str) -> _CompiledTemplate:
        compiled = self._compiled.get(template)
        if compiled is None:
            compiled = self._compiled[template] = self._load(template)
        return compiled

    def _load(self, template: str) -> _CompiledTemplate:
        if template.startswith("_") or not (self.templates_dir / f"{template}.subject.j2").is_file():
            raise UnknownTemplateError(
                f"no email template {template!r} in {self.templates_dir} "
                f"(expected {template}.subject.j2, {template}.txt.j2 and {template}.html.j2)"
            )
        return _CompiledTemplate(
            subject=self.environment.get_template(f"{template}.subject.j2"),
            text=self.environment.get_template(f"{template}.txt.j2"),
            html=self.environment.get_template(f"{template}.html.j2"),
            easy_text=self._optional(f"{template}.easy.txt.j2"),
            easy_html=self._optional(f"{template}.easy.html.j2"),
        )

    def _optional(self, filename: str) -> Template | None:
        if (self.templates_dir / filename).is_file():
            return self.environment.get_template(filename)
        return None


@cache
def default_renderer() -> EmailRenderer:
    return EmailRenderer()


def render_email(template: str, context: dict, *, easy_read: bool = False) -> RenderedEmail:
    return default_renderer().render(template, context, easy_read=easy_read)
