"""Site parsers in BeautifulSoup: the Python a profile names for what its selectors cannot say.

A profile's ``[parser] module = "mysite_parser"`` names a file ``mysite_parser.py`` (next to the
profile, or in one of ``SITE_PROFILE_DIRS``). Every function of it whose name starts with ``fix_``
is called, in the order the file defines them, as ``fix_x(soup, article)``: ``soup`` is the page as a
BeautifulSoup tree (lxml builder), ``article`` the :class:`Article` the profile produced (with the
corrections of the functions before). It returns the fields it corrects, as a dict
(``{"published": datetime(...), "authors": ["A", "B"]}``), or None for none. A date inside a
script's JSON, comments from a widget's data, a byline to split: ``examples/profiles/`` has one.

All or nothing: when a function raises, or returns a field an Article does not have or may not be
set by a hook, none of the hook's corrections are kept; the Article keeps the profile's fields
and says why in ``hook_error`` (the exception and the line of the hook it was raised on). The
crawl records that as a failure of the page (``parser_hook_error``) and goes on.

This runs in the parse step (the parse workers), like every parser: no network, no archive.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from bs4 import BeautifulSoup

from .article import Article

PREFIX = "fix_"
# What a hook may not set: the record's identity and the parsers' own bookkeeping.
NOT_SETTABLE = frozenset({"url", "extractor_version", "page_type", "confidence", "hook_fields", "hook_error"})
SETTABLE = frozenset(f.name for f in dataclasses.fields(Article)) - NOT_SETTABLE
_loaded: dict[str, ModuleType] = {}

Hook = Callable[[BeautifulSoup, Article], dict[str, Any] | None]


class HookError(Exception):
    pass


def load_hook(path: str) -> ModuleType:
    """The hook module at ``path``, imported once per process (a worker parses many pages)."""
    module = _loaded.get(path)
    if module is None:
        spec = importlib.util.spec_from_file_location(f"newsarchive_hook_{Path(path).stem}", path)
        if spec is None or spec.loader is None:
            raise HookError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _loaded[path] = module
    return module


def hook_functions(module: ModuleType) -> list[tuple[str, Hook]]:
    return [(name, fn) for name, fn in vars(module).items() if name.startswith(PREFIX) and callable(fn)]


def apply_hook(soup: BeautifulSoup, article: Article, path: str, module_name: str) -> Article:
    """The Article with the hook's corrections and ``hook_fields``; or, when the hook fails, the
    Article as the profile made it, with ``hook_error``."""
    corrected = dataclasses.replace(article)
    fields: dict[str, str] = {}
    try:
        for name, function in hook_functions(load_hook(path)):
            changes = function(soup, corrected) or {}
            if not isinstance(changes, dict):
                raise HookError(f"{name} returned {type(changes).__name__}, not a dict of fields")
            for key, value in changes.items():
                if key not in SETTABLE:
                    raise HookError(f"{name} returned {key!r}, which is not a field a hook may set")
                setattr(corrected, key, value)
                fields[key] = f"{module_name}.{name}"
    except Exception as exc:  # the hook is the user's code: any error of it is the page's failure
        article.hook_error = _describe(exc, path)
        return article
    corrected.hook_fields = fields
    return corrected


def _describe(exc: Exception, path: str) -> str:
    """The exception, with the hook file's line it was raised from (the innermost one)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    if frames:
        where = f" ({Path(path).name}, line {frames[-1].lineno}, in {frames[-1].name})"
    elif isinstance(exc, SyntaxError) and exc.lineno:  # the file itself does not compile
        where = f" ({Path(path).name}, line {exc.lineno})"
    else:
        where = ""
    return f"{type(exc).__name__}: {exc}{where}"
