"""What happened to one input, as returned by the services and shaped into handler replies."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal


@dataclass(frozen=True, slots=True)
class Outcome:
    article_id: str
    status: Literal["stored", "summarised", "failed", "skipped"]
    source_ref: str
    key: str | None = None  # the object written (article document), when any
    reason: str | None = None
    message: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}
