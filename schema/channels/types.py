from __future__ import annotations

import strawberry

from app.channels.views import ChannelView
from app.models.channel import ChannelKind
from schema.relay import Node, to_global_id

strawberry.enum(ChannelKind)


@strawberry.type(description="A sales channel: web, app, a store's POS or a marketplace.")
class Channel(Node):
    code: str
    name: str
    kind: ChannelKind
    currency_code: str
    default_locale: str
    return_window_days: int
    is_active: bool

    @classmethod
    def from_view(cls, view: ChannelView) -> Channel:
        return cls(
            id=strawberry.ID(to_global_id("Channel", view.id)),
            code=view.code,
            name=view.name,
            kind=view.kind,
            currency_code=view.currency_code,
            default_locale=view.default_locale,
            return_window_days=view.return_window_days,
            is_active=view.is_active,
        )
