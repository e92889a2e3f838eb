"""A demo partner with a published key, so the explorer and the guides can show partner calls.

The key is printed in the README: it only exists in a database that holds the demo data set.
"""

from __future__ import annotations

from app.auth.scopes import SCOPES
from app.demo.context import DemoContext
from app.kit.security import token_digest
from app.models.partner import ApiClient

DEMO_PARTNER_KEY = "ogp_demo_marketplace_connector_key"


async def load(ctx: DemoContext) -> None:
    ctx.session.add(
        ApiClient(
            name="Demo marketplace connector",
            key_prefix=DEMO_PARTNER_KEY[:12],
            key_digest=token_digest(DEMO_PARTNER_KEY),
            scopes=sorted(SCOPES),
        )
    )
    await ctx.session.flush()
