"""Settings tables: dataclass fields with a default and a help text, overridable by env.

Lives in the lowest layer so that every layer's settings (``api.settings``,
``ingest.fetch.http_client``) share one mechanism, as Datasette's ``(name, default,
help)`` table does.
"""

from __future__ import annotations

import os
from dataclasses import field, fields, replace
from typing import Any, TypeVar

T = TypeVar("T")


def setting(default: Any, help: str) -> Any:  # noqa: A002 - the table's column name
    """A dataclass field carrying its help text."""
    return field(default=default, metadata={"help": help})


def from_env(cls: type[T], prefix: str, **overrides: Any) -> T:
    """An instance with each field read from ``<prefix><NAME>`` when set, then ``overrides``.

    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Demo:
    ...     port: int = setting(8000, "port")
    >>> os.environ["DEMO_PORT"] = "9"
    >>> from_env(Demo, "DEMO_").port, from_env(Demo, "DEMO_", port=1).port
    (9, 1)
    >>> del os.environ["DEMO_PORT"]
    """
    values: dict[str, Any] = {}
    for item in fields(cls):  # type: ignore[arg-type]
        raw = os.environ.get(f"{prefix}{item.name.upper()}")
        if raw is not None:
            values[item.name] = type(item.default)(raw)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(cls(), **values)  # type: ignore[type-var]


def rows(cls: type, name_prefix: str = "") -> list[tuple[str, Any, str]]:
    """``(name, default, help)`` rows, for ``ietfkg settings`` and the README."""
    return [(name_prefix + item.name, item.default, item.metadata["help"]) for item in fields(cls)]
