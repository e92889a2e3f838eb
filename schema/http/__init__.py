"""The GraphQL HTTP view: persisted documents, response media types, request context."""
