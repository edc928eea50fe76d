"""DynamoDB's size of an item, by the rules DynamoDB documents (developer guide, "Item sizes and formats").

* a string is its UTF-8 bytes; binary its raw bytes; null and boolean 1 byte;
* a number is 1 byte per two significant digits (leading and trailing zeros trimmed) plus 1 byte;
  one more for a negative sign, as an upper bound (the guide calls its figure approximate);
* a list or map is 3 bytes plus 1 byte per element plus the elements (a map's element also counts its
  name); a set is its elements;
* every attribute counts its name's UTF-8 bytes.

The item limit, 400 KB, is 409,600 bytes of that sum. Pure: no AWS call, plain Python values (str,
bytes, bool, None, int, float, Decimal, list, tuple, dict, set) as boto3's resource layer takes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

#: DynamoDB's maximum item size, names and values together.
ITEM_LIMIT = 400 * 1024
_CONTAINER_OVERHEAD = 3
_ELEMENT_OVERHEAD = 1


def item_size(item: Mapping[str, Any]) -> int:
    return sum(_text_size(name) + value_size(value) for name, value in item.items())


def value_size(value: Any) -> int:
    if value is None or isinstance(value, bool):
        return 1
    if isinstance(value, str):
        return _text_size(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, int | float | Decimal):
        return number_size(value)
    if isinstance(value, Mapping):
        return _CONTAINER_OVERHEAD + sum(
            _ELEMENT_OVERHEAD + _text_size(name) + value_size(v) for name, v in value.items()
        )
    if isinstance(value, list | tuple):
        return _CONTAINER_OVERHEAD + sum(_ELEMENT_OVERHEAD + value_size(v) for v in value)
    if isinstance(value, set | frozenset):
        return sum(value_size(v) for v in value)
    raise TypeError(f"DynamoDB has no type for {type(value).__name__}")


def number_size(value: int | float | Decimal) -> int:
    number = Decimal(value) if isinstance(value, int) else Decimal(str(value))
    if not number.is_finite():
        raise ValueError(f"DynamoDB numbers are finite, not {value}")
    digits = "".join(str(d) for d in number.as_tuple().digits).strip("0") or "0"
    return (len(digits) + 1) // 2 + 1 + (1 if number < 0 else 0)


def _text_size(text: str) -> int:
    # surrogatepass: counts a lone surrogate as the 3 bytes it would take, instead of failing.
    return len(text.encode("utf-8", "surrogatepass"))
