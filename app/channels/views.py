from __future__ import annotations

from dataclasses import dataclass

from app.models.channel import ChannelKind


@dataclass(slots=True)
class ChannelView:
    id: int
    code: str
    name: str
    kind: ChannelKind
    currency_code: str
    default_locale: str
    return_window_days: int
    is_active: bool
