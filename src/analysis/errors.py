"""The known errors (:class:`UserError`) and their translatable messages.

An error carries an English template and its values (:class:`Localized`, :class:`Text`), rendered in the
user's language (:func:`user_language`) from ``present/strings/<lang>/errors.yaml``. Every layer imports
this module; it imports nothing of the package, and not pandas: a notebook's kernel that only presents
computed sections imports it without the data libraries (half a second of each review's CPU).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

ERROR_CATALOGUE = Path(__file__).with_name("present") / "strings" / "{lang}" / "errors.yaml"
"""The translations of the error templates, ``English template: translated template`` (gettext-style: the
English template is the key). Read here, not through ``analysis.present.text``: this module imports nothing
of the package."""
ERROR_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
"""Languages an error message is rendered in (English is the template itself)."""


def user_language(environ: Mapping[str, str] | None = None) -> str:
    """The user's language for messages, ``fi``, ``sv`` or ``en``, from the environment.

    ``ANALYSIS_LANG`` if it names one of them, else the locale (the first of ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG`` that is set): ``sv…`` is Swedish, ``en…`` English, anything else (``fi_FI``, ``C``, unset)
    Finnish. A command's own ``--lang`` comes first (see ``analysis.cli.user_language``).
    """
    environ = os.environ if environ is None else environ
    chosen = environ.get("ANALYSIS_LANG", "").strip().lower()[:2]
    if chosen in ERROR_LANGUAGES:
        return chosen
    locale = next((environ[k] for k in ("LC_ALL", "LC_MESSAGES", "LANG") if environ.get(k)), "")
    prefix = locale.strip().lower()[:2]
    return prefix if prefix in ("sv", "en") else "fi"


@lru_cache(maxsize=len(ERROR_LANGUAGES))
def error_templates(lang: str) -> dict[str, str]:
    """The translated error templates of ``lang``: English template -> template in ``lang`` (empty for en)."""
    if lang == "en":
        return {}
    path = Path(str(ERROR_CATALOGUE).format(lang=lang))
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        doc = load_own_yaml(fh) or {}
    return {str(k): str(v) for k, v in doc.items()}


def load_own_yaml(stream) -> object:
    """A YAML file of the package's own (strings, error translations) read with the loader of every YAML
    file (:mod:`analysis.yaml_files`: libyaml's parser, ten times the pure-Python one's speed, as every
    process reads the string files). A key given twice or an alias is a ValueError naming the file,
    the line and the key."""
    import yaml

    from analysis import yaml_files

    text = stream.read() if hasattr(stream, "read") else stream
    try:
        return yaml_files.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        name = getattr(stream, "name", "(text)")
        where = f"{name}, line {mark.line + 1}" if mark else name
        raise ValueError(f"{where}: {getattr(exc, 'problem', None) or exc}") from None


def render(template: str, params: Mapping[str, object], lang: str = "en") -> str:
    """``template`` in ``lang`` (its translation, else the English template) filled with ``params``.

    A value that is itself translatable (:class:`Text`, a :class:`Localized` error) is rendered in
    ``lang`` too; other values (file paths, codes, numbers) are filled in as they are.
    """
    text = error_templates(lang).get(template, template) if lang != "en" else template
    values = {k: v.message(lang) if isinstance(v, (Text, Localized)) else v for k, v in params.items()}
    for candidate in (text, template):  # a broken translation never hides the error itself
        try:
            return candidate.format(**values)
        except (KeyError, IndexError, ValueError, AttributeError):
            continue
    return template  # an English-only message built beforehand that holds braces


class Text:
    """A translatable piece of a message: an English template (the msgid) and its values.

    ``str()`` is the English text; :meth:`message` renders it in ``fi``, ``sv`` or ``en``.
    """

    __slots__ = ("template", "params")

    def __init__(self, template: str, /, **params: object):
        self.template = template
        self.params = params

    @classmethod
    def of(cls, text: str | Text) -> Text:
        """``text`` as a :class:`Text` (an English template without values), a :class:`Text` as it is."""
        return text if isinstance(text, Text) else cls(text)

    def message(self, lang: str = "en") -> str:
        """The text in ``lang``."""
        return render(self.template, self.params, lang)

    def __str__(self) -> str:
        return self.message("en")

    def __repr__(self) -> str:
        return f"Text({self.template!r}, **{self.params!r})"


class Localized:
    """Mixin of an error whose message is a template and its values (``raise E("table {t}: …", t=t)``).

    ``str(exc)`` is the English rendering (logs and tests read it); ``exc.message("fi")`` is the
    message in the user's language, from ``present/strings/<lang>/errors.yaml``.
    """

    template: str
    params: dict[str, object]

    def __init__(self, template: str | Text = "", /, **params: object):
        if isinstance(template, Text):  # a message built elsewhere
            template, params = template.template, {**template.params, **params}
        self.template = template
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "fi") -> str:
        """The message in ``lang`` (``fi``, ``sv`` or ``en``)."""
        return render(self.template, self.params, lang)

    def __reduce__(self):  # pickles across processes whatever the subclass's __init__ takes
        return _restore_error, (type(self), self.args, self.__dict__)


def _restore_error(cls: type, args: tuple, state: dict) -> BaseException:
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(state)
    return exc


class UserError(Localized, Exception):
    """A known, user-facing error: bad data, configuration, parameters, network or workbook.

    Its message is short and names the place (file, row and column, or key, URL, cell). The
    command line prints it without a traceback and exits with status 2; any other exception is
    a bug and is logged with its traceback. Every layer's error classes derive from this one.
    The message is a template and its values (see :class:`Localized`); every template has its
    Finnish and Swedish translation in ``present/strings/<lang>/errors.yaml``.
    """


class DataValidationError(UserError, ValueError):
    """An input file that breaks a rule; the message names file, row and column.

    ``message`` is the English template of what is wrong, filled from ``params``
    (``DataValidationError(path, "'{value}' is not a number", row=5, column="value", value=v)``);
    ``detail`` is that part alone, translatable (:class:`Text`).
    """

    def __init__(self, file: str | Path | Text, message: str | Text, /, row: int | None = None,
                 column: str | None = None, **params: object):
        self.file = str(file)
        self.detail = message if isinstance(message, Text) else Text(message, **params)
        self.row = row
        self.column = column
        if row is not None and column is not None:
            template = "{file}, row {row}, column '{column}': {detail}"
        elif row is not None:
            template = "{file}, row {row}: {detail}"
        elif column is not None:
            template = "{file}, column '{column}': {detail}"
        else:
            template = "{file}: {detail}"
        super().__init__(template, file=file if isinstance(file, Text) else self.file, row=row, column=column,
                         detail=self.detail)


class UnknownName(UserError, LookupError):
    """A name the public API does not know (a result table, an occupation group); the message lists the
    known ones (``UnknownName("unknown table '{name}'; known: {known}", name=..., known=...)``)."""
