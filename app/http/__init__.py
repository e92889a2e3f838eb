"""HTTP plumbing around the GraphQL view: body limits, logging, metrics, tracing."""
