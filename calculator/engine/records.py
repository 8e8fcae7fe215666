"""Building the engine's records by keyword at the cost of building them positionally.

CPython 3.11 (the version the service runs) has no fast path for a class called with
keyword arguments: it packs them into a dict and unpacks it again for `__init__`, about 430
machine instructions a keyword, more than the record itself costs. A calculation builds some
45 records with 400 keywords, so that was about a fifth of its instructions. A plain function
called with keywords matches them to its parameters without a dict, as long as there are at
most 15 (more, and the call itself is compiled to build one), so each hot record gets a
function taking exactly its fields by keyword, made here from the dataclass's own fields
(one home for them), that fills a new instance's slots:

    new_pay = keyword_builder(Pay)
    pay = new_pay(hours=37.5, hourly_wage=12.71, ...)

The builder has the class's own signature for mypy (a missing, misspelt or mistyped field is
an error, as with `Pay(...)`), and builds the same object `Pay(...)` would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields, is_dataclass
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class _Unset:
    """The default of a field whose default is made afresh for each record (a list, a dict)."""


def keyword_builder(cls: Callable[P, T]) -> Callable[P, T]:
    """A function taking `cls`'s fields by keyword, with its defaults, that builds a `cls`.

    For slotted, non-frozen dataclasses without `__post_init__`, whose `__init__` does nothing
    but set each field: exactly what the returned function does.
    """
    if not (isinstance(cls, type) and is_dataclass(cls) and hasattr(cls, "__slots__")):
        raise TypeError(f"{cls!r} is not a slotted dataclass")
    if cls.__dataclass_params__.frozen or hasattr(cls, "__post_init__"):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}: a frozen dataclass, or one with __post_init__, needs its __init__")
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_Unset": _Unset}
    parameters, defaults, stores = [], [], []
    for item in fields(cls):
        name = item.name
        if item.default is not MISSING:
            namespace[f"_default_{name}"] = item.default
            parameters.append(f"{name}=_default_{name}")
        elif item.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = item.default_factory
            parameters.append(f"{name}=_Unset")
            defaults.append(f"    if {name} is _Unset:\n        {name} = _factory_{name}()\n")
        else:
            parameters.append(name)
        stores.append(f"    self.{name} = {name}\n")
    source = (
        f"def new_{cls.__name__}(*, {', '.join(parameters)}):\n"
        + "".join(defaults)
        + "    self = _new(_cls)\n"
        + "".join(stores)
        + "    return self\n"
    )
    exec(source, namespace)  # as dataclasses makes __init__: the fields are known only at import
    builder: Callable[P, T] = namespace[f"new_{cls.__name__}"]
    builder.__doc__ = f"A {cls.__name__} from its fields by keyword (calculator/engine/records.py)."
    return builder
