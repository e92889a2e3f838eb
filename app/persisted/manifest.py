"""Importing an Apollo persisted-query manifest as a client's trusted documents."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLSyntaxError, OperationDefinitionNode, parse
from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Invalid
from app.models.persisted import PersistedDocument
from app.persisted import repository
from app.persisted.store import sha256_hex

MANIFEST_FORMAT = "apollo-persisted-query-manifest"
_HEX = re.compile(r"^[0-9a-f]{64}$")
OPERATION_TYPES = ("query", "mutation", "subscription")


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    unchanged: int
    removed: int


def _operations(manifest: Any) -> list[dict[str, Any]]:
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise Invalid(f"Not an {MANIFEST_FORMAT}", code="INVALID_MANIFEST", field="format")
    if manifest.get("version") != 1:
        raise Invalid(
            "Only version 1 manifests are known", code="INVALID_MANIFEST", field="version"
        )
    operations = manifest.get("operations")
    if not isinstance(operations, list):
        raise Invalid("operations must be a list", code="INVALID_MANIFEST", field="operations")
    return operations


def _checked(index: int, op: Any) -> PersistedDocument:
    field = f"operations.{index}"
    if not isinstance(op, dict):
        raise Invalid("An operation is an object", code="INVALID_MANIFEST", field=field)
    body, doc_id = op.get("body"), op.get("id")
    if not isinstance(body, str) or not isinstance(doc_id, str) or not _HEX.match(doc_id):
        raise Invalid(
            "An operation has a body and a lower-case hex SHA-256 id",
            code="INVALID_MANIFEST", field=field,
        )  # fmt: skip
    # A document is named by its content: an id that is not the body's hash would let one
    # body stand in for another.
    if sha256_hex(body) != doc_id:
        raise Invalid(
            f"Operation {doc_id} is not the SHA-256 of its body",
            code="DOCUMENT_ID_MISMATCH", field=field,
        )  # fmt: skip
    try:
        document = parse(body)
    except GraphQLSyntaxError as error:
        raise Invalid(
            f"Operation {doc_id} does not parse: {error.message}",
            code="INVALID_DOCUMENT", field=field,
        ) from error  # fmt: skip
    kinds = [
        d.operation.value for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    kind = op.get("type") or (kinds[0] if kinds else None)
    if kind not in OPERATION_TYPES or kind not in kinds:
        raise Invalid(
            f"Operation {doc_id} has no {kind} operation", code="INVALID_DOCUMENT", field=field
        )
    name = op.get("name")
    return PersistedDocument(
        document_id=doc_id, body=body, name=name if isinstance(name, str) else None, type=kind
    )


async def import_manifest(
    session: AsyncSession, client_name: str, manifest: Any, *, replace: bool = False
) -> ImportReport:
    """Add the manifest's operations to the client's documents; with `replace`, the client's
    documents that the manifest no longer lists are removed (their callers start failing)."""
    client_name = client_name.strip()
    if not client_name:
        raise Invalid("Name the client", code="CLIENT_REQUIRED", field="client")
    documents = {
        d.document_id: d for d in (_checked(i, op) for i, op in enumerate(_operations(manifest)))
    }
    known = await repository.existing_ids(session, client_name)
    stale = sorted(known - documents.keys()) if replace else []
    await repository.remove(session, client_name, stale)
    added = 0
    for doc_id, document in documents.items():
        if doc_id in known:
            continue
        document.client_name = client_name
        session.add(document)
        added += 1
    await session.flush()
    return ImportReport(added=added, unchanged=len(documents) - added, removed=len(stale))
