// Apollo Client with its persisted-queries link, unmodified, against a live server.
// Usage: node apollo_apq.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON object: what each step got back and which requests went over the wire.
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core/index.js";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries/index.js";

const uri = process.argv[2];
const sha256 = (text) => createHash("sha256").update(text).digest("hex");

function recordingClient(options = {}) {
  const sent = [];
  const fetchAndRecord = async (url, init) => {
    const u = new URL(url);
    const body = init.body ? JSON.parse(init.body) : null;
    sent.push({
      method: init.method || "GET",
      hasQuery: Boolean(body ? body.query : u.searchParams.get("query")),
    });
    return fetch(url, init);
  };
  const link = createPersistedQueryLink({ sha256, ...options }).concat(
    new HttpLink({ uri, fetch: fetchAndRecord }),
  );
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

const CHANNELS = gql`
  query Channels {
    channels {
      code
    }
  }
`;
const LOGIN = gql`
  mutation Login($email: String!, $password: String!) {
    staffLogin(email: $email, password: $password) {
      token
      userErrors {
        code
      }
    }
  }
`;

const result = {};
const first = recordingClient();
result.first = (await first.client.query({ query: CHANNELS, fetchPolicy: "network-only" })).data;
result.firstSent = first.sent;

const second = recordingClient();
result.second = (await second.client.query({ query: CHANNELS, fetchPolicy: "network-only" })).data;
result.secondSent = second.sent;

const overGet = recordingClient({ useGETForHashedQueries: true });
result.get = (await overGet.client.query({ query: CHANNELS, fetchPolicy: "network-only" })).data;
result.getSent = [...overGet.sent];

const mutation = await overGet.client.mutate({
  mutation: LOGIN,
  variables: { email: "nobody@example.com", password: "wrong-password" },
});
result.mutation = mutation.data;
result.mutationSent = overGet.sent.slice(result.getSent.length);

process.stdout.write(JSON.stringify(result));
