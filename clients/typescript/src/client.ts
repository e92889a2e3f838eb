// A minimal typed client: each call's variables and result are checked against the schema.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

import { PickupNearDocument, ProductCardsDocument } from "./generated/graphql.js";

export class GraphQLRequestError extends Error {
  constructor(readonly errors: ReadonlyArray<{ message: string; extensions?: { code?: string } }>) {
    super(errors.map((e) => `${e.extensions?.code ?? "ERROR"}: ${e.message}`).join("; "));
  }
}

export async function request<Result, Variables>(
  endpoint: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  headers: Record<string, string> = {},
): Promise<Result> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: GraphQLRequestError["errors"] };
  if (body.errors?.length || !body.data) {
    throw new GraphQLRequestError(body.errors ?? [{ message: `HTTP ${response.status}` }]);
  }
  return body.data;
}

// The cheapest price of each product on a page, typed all the way down.
export async function cheapestPrices(endpoint: string, channel: string): Promise<string[]> {
  const data = await request(endpoint, ProductCardsDocument, { channel, first: 10 });
  return data.products.edges.map(({ node }) => {
    const price = node.priceRange?.minVariantPrice;
    return price ? `${node.title}: ${price.amount} ${price.currencyCode}` : node.title;
  });
}

export async function nearestStoreWithStock(
  endpoint: string,
  sku: string,
  latitude: number,
  longitude: number,
): Promise<string | null> {
  const data = await request(endpoint, PickupNearDocument, { sku, latitude, longitude });
  const stores = data.variant?.pickupAvailability ?? [];
  const first = stores.find((store) => store.available > 0);
  return first ? `${first.location.name} (${first.distanceKm.toFixed(1)} km)` : null;
}
