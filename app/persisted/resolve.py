"""Which document a request runs: its own text, an APQ hash, or a trusted document id.

Apollo's automatic persisted queries (`extensions.persistedQuery {version: 1, sha256Hash}`)
and the GraphQL-over-HTTP persisted documents draft (`documentId: "sha256:<hex>"`) both name a
document by the SHA-256 of its text. A partner key bound to a client's trusted documents runs
only those; in LOG mode it runs anything and the server logs what would have been refused.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLError, parse

from app.auth.viewer import Viewer
from app.database import Database
from app.persisted import repository
from app.persisted.store import QueryStore, sha256_hex

log = logging.getLogger("omnigraph.persisted")

_HEX = re.compile(r"^[0-9a-f]{64}$")
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"


class DocumentRefused(Exception):
    """The request names no document the server may run; `status` is the HTTP status."""

    def __init__(self, message: str, code: str, status: int = 200) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status


@dataclass(frozen=True, slots=True)
class Requested:
    """What the request named: its text and/or a digest, and how the digest was given."""

    query: str | None
    digest: str | None
    apq: bool


def requested(query: str | None, extensions: dict[str, Any] | None) -> Requested:
    extensions = extensions or {}
    document_id = extensions.get("documentId")
    persisted = extensions.get("persistedQuery")
    if document_id is not None:
        prefix, _, digest = str(document_id).partition(":")
        if prefix != "sha256" or not _HEX.match(digest.lower()):
            raise DocumentRefused(
                'A documentId is "sha256:" and 64 hex digits', "INVALID_DOCUMENT_ID", 400
            )
        return Requested(query, digest.lower(), apq=False)
    if persisted is not None:
        if not isinstance(persisted, dict) or persisted.get("version") != 1:
            raise DocumentRefused(
                "Only persistedQuery version 1 is supported", "PERSISTED_QUERY_NOT_SUPPORTED", 400
            )
        digest = str(persisted.get("sha256Hash") or "").lower()
        if not _HEX.match(digest):
            raise DocumentRefused(
                "persistedQuery.sha256Hash is 64 hex digits", "INVALID_DOCUMENT_ID", 400
            )
        return Requested(query, digest, apq=True)
    return Requested(query, None, apq=False)


class TrustedDocuments:
    """Reads of the trusted documents table, cached briefly (ids name content, so a cached
    body is never wrong; the expiry only bounds how long a removed document keeps working)."""

    def __init__(self, db: Database, ttl_seconds: float, maxsize: int = 2048) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._maxsize = maxsize
        self._cache: dict[tuple[str | None, str], tuple[float, str]] = {}

    async def body(self, client_name: str | None, digest: str) -> str | None:
        key = (client_name, digest)
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        async with self._db.read() as conn:
            body = await repository.document_body(conn, client_name, digest)
        if body is not None:
            if len(self._cache) >= self._maxsize:
                self._cache.clear()
            self._cache[key] = (now + self._ttl, body)
        return body


class DocumentResolver:
    def __init__(
        self, store: QueryStore, trusted: TrustedDocuments, max_bytes: int = 64 * 1024
    ) -> None:
        self.store = store
        self.trusted = trusted
        self.max_bytes = max_bytes

    async def resolve(
        self, viewer: Viewer, query: str | None, extensions: dict[str, Any] | None
    ) -> str | None:
        """The text to run (None: the request carries no document at all)."""
        asked = requested(query, extensions)
        if (
            asked.query is not None
            and asked.digest is not None
            and sha256_hex(asked.query) != asked.digest
        ):
            raise DocumentRefused(
                "The document's SHA-256 is not the hash sent with it",
                "PERSISTED_QUERY_HASH_MISMATCH", 400,
            )  # fmt: skip
        if viewer.documents_client is not None:
            bound = await self._bound(viewer, viewer.documents_client, asked)
            if bound is not None:
                return bound
        if asked.query is not None:
            if asked.apq and asked.digest is not None:
                await self._register(asked.digest, asked.query)
            return asked.query
        if asked.digest is None:
            return None
        body = await self.trusted.body(None, asked.digest)
        if body is None and asked.apq:
            body = await self.store.get(asked.digest)
        if body is not None:
            return body
        if asked.apq:
            # Apollo Client's persisted-queries link recognises this message and code, and
            # resends the request with the document's text.
            raise DocumentRefused("PersistedQueryNotFound", PERSISTED_QUERY_NOT_FOUND)
        raise DocumentRefused("No document has this id", "PERSISTED_DOCUMENT_NOT_FOUND", 404)

    async def _register(self, digest: str, query: str) -> None:
        """Keep a document for its hash. Anonymous clients register documents, so only
        bounded ones that parse are kept; one that does not parse still runs, and fails."""
        size = len(query.encode())
        if size > self.max_bytes:
            raise DocumentRefused(
                f"A persisted query is at most {self.max_bytes} bytes; this one is {size}",
                "PERSISTED_QUERY_TOO_LARGE", 400,
            )  # fmt: skip
        try:
            parse(query)
        except GraphQLError:
            return
        await self.store.put(digest, query)

    async def _bound(self, viewer: Viewer, client: str, asked: Requested) -> str | None:
        digest = asked.digest or (sha256_hex(asked.query) if asked.query is not None else None)
        if digest is None:
            return None
        body = await self.trusted.body(client, digest)
        if body is not None:
            return body
        free_form = asked.query is not None
        if not viewer.documents_enforced:
            log.warning(
                "partner %s sent %s not among client %s's trusted documents (log-only mode)",
                viewer.partner_id, "a free-form document" if free_form else f"id {digest}",
                client,
            )  # fmt: skip
            return None
        if free_form:
            raise DocumentRefused(
                "This API key runs only its client's trusted documents; send a documentId",
                "TRUSTED_DOCUMENT_REQUIRED", 403,
            )  # fmt: skip
        raise DocumentRefused(
            "No trusted document of this key's client has this id",
            "PERSISTED_DOCUMENT_NOT_FOUND", 404,
        )  # fmt: skip
