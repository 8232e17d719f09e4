"""Reading an item from Redis as untrusted input: whoever can write to Redis can put anything there.

Every value of a message is checked against the type of the field it fills (the dataclasses'
own annotations), a compressed body is inflated to at most a bound, and anything else is a
``BadItem`` with a short reason, so the ingester sets that item aside and goes on with the rest.
No Scrapy here (the ingester runs without it).
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
import zlib
from datetime import datetime
from typing import Any, TypeVar

T = TypeVar("T")
INT_LIMIT = 2**63  # SQLite's integers
CHUNK = 64 * 1024


class BadItem(ValueError):
    """An item that cannot be ingested: `reason` is one of REASONS, `detail` says where (our words and
    field names only, never the item's own text)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


REASONS = ("bad_json", "too_deep", "bad_field", "body_too_large", "unknown_type", "write_failed")


def parse_json(data: bytes) -> dict[str, Any]:
    """A message's JSON object."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise BadItem("too_deep", "JSON nested deeper than Python parses") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadItem("bad_json", f"not JSON ({type(exc).__name__})") from None
    if not isinstance(value, dict):
        raise BadItem("bad_json", "not a JSON object")
    return value


def inflate(data: bytes, max_size: int, where: str) -> bytes:
    """zlib-decompressed `data`, at most `max_size` bytes (a 0.7 MB message can expand to 512 MiB)."""
    inflater = zlib.decompressobj()
    out = bytearray()
    pending = data
    try:
        while True:
            chunk = inflater.decompress(pending, CHUNK)
            out += chunk
            if len(out) > max_size:
                raise BadItem("body_too_large", f"{where}: more than {max_size} bytes decompressed")
            pending = inflater.unconsumed_tail
            if inflater.eof or not (chunk or pending):
                break
    except zlib.error:
        raise BadItem("bad_field", f"{where}: not zlib data") from None
    if not inflater.eof:
        raise BadItem("bad_field", f"{where}: truncated zlib data")
    return bytes(out)


def build(cls: type[T], data: Any, where: str) -> T:
    """A `cls` dataclass from a JSON object, every field checked against its annotation."""
    if not isinstance(data, dict):
        raise BadItem("bad_field", f"{where}: not an object")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = [k for k in data if k not in fields]
    if unknown:
        raise BadItem("bad_field", f"{where}: {len(unknown)} unknown field(s)")
    values = {}
    for name, f in fields.items():
        if name in data:
            values[name] = convert(data[name], hints[name], f"{where}.{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise BadItem("bad_field", f"{where}.{name}: missing")
    return cls(**values)


def convert(value: Any, hint: Any, where: str) -> Any:
    """`value` (from JSON) as the annotated type `hint`, or BadItem."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        return convert(value, next(a for a in args if a is not type(None)), where)
    if origin is list:
        if not isinstance(value, list):
            raise BadItem("bad_field", f"{where}: not a list")
        return [convert(v, args[0], f"{where}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise BadItem("bad_field", f"{where}: not an object")
        return {convert(k, args[0], f"{where} key"): convert(v, args[1], f"{where}[]") for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)  # type: ignore[arg-type]
    return _scalar(value, hint, where)


def _scalar(value: Any, hint: Any, where: str) -> Any:
    if hint is str:
        return text(value, where)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool) and abs(value) < INT_LIMIT:
        return value
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)  # an Article's confidence
    if hint is datetime:
        try:
            return datetime.fromisoformat(text(value, where))
        except ValueError:
            raise BadItem("bad_field", f"{where}: not an ISO 8601 date") from None
    raise BadItem("bad_field", f"{where}: not {getattr(hint, '__name__', hint)}")


def text(value: Any, where: str) -> str:
    """A string SQLite can store (JSON may carry lone surrogates, which UTF-8 cannot)."""
    if not isinstance(value, str):
        raise BadItem("bad_field", f"{where}: not a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadItem("bad_field", f"{where}: not valid Unicode (a lone surrogate)") from None
    return value
