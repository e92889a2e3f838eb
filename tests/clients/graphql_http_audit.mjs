// The graphql-http audit suite (GraphQL over HTTP spec) against a live server.
// Usage: node graphql_http_audit.mjs http://127.0.0.1:PORT/graphql
// Prints a JSON list of {id, name, status, reason} for every audit.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason || null });
}
process.stdout.write(JSON.stringify(results));
