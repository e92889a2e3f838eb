"""A compiled execution path for query operations, beside graphql-core's executor.

graphql-core completes every field through generic code: a Path and a ResolveInfo per field,
argument coercion per object, a type dispatch per value. For a listing of ~1,900 fields that
is most of a request's CPU. Here a document is compiled once into a plan (per operation and
per values of the variables that @skip/@include read); the plan resolves plain fields
directly and completes values with functions specialised per return type, building a path
or a ResolveInfo only where a resolver or an error needs one.

`CompiledExecutionContext` (in `schema.execution.context`) is the hook: strawberry builds it
for every operation, and it runs the operations the plan covers and hands the rest to the
standard executor.
"""
