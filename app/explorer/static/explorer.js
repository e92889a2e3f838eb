// Starts GraphiQL for one audience at a time: its example operations as tabs, and the
// headers of its demo account (signed in here with the demo password, or the demo partner key).
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("og-config").textContent);
  var select = document.getElementById("og-audience");
  var status = document.getElementById("og-status");
  var root = ReactDOM.createRoot(document.getElementById("og-graphiql"));
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var socketScheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: config.endpoint,
    subscriptionUrl: socketScheme + "//" + window.location.host + config.endpoint,
  });

  // Tabs come from the audience, not from an earlier visit, so each audience starts afresh.
  function memoryStorage() {
    var items = {};
    return {
      getItem: function (key) { return key in items ? items[key] : null; },
      setItem: function (key, value) { items[key] = String(value); },
      removeItem: function (key) { delete items[key]; },
      clear: function () { items = {}; },
      get length() { return Object.keys(items).length; },
    };
  }

  function headersFor(audience) {
    var headers = { "X-Channel": audience.channel };
    if (audience.apiKey) {
      headers["X-Api-Key"] = audience.apiKey;
    }
    var signIn = audience.signIn;
    if (!signIn) {
      return Promise.resolve(headers);
    }
    var query = "mutation SignIn($email: String!, $password: String!) { " + signIn.mutation +
      "(email: $email, password: $password) { token userErrors { code message } } }";
    return fetch(config.endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({
        query: query,
        variables: { email: signIn.email, password: signIn.password },
      }),
    })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        var payload = body.data && body.data[signIn.mutation];
        if (payload && payload.token) {
          headers.Authorization = "Bearer " + payload.token;
        } else {
          status.textContent = "Could not sign in as " + signIn.email +
            " (is the demo data loaded?)";
        }
        return headers;
      });
  }

  function show(key) {
    var audience = config.audiences.filter(function (a) { return a.key === key; })[0];
    status.textContent = audience.hint || "";
    headersFor(audience).then(function (headers) {
      var headerText = JSON.stringify(headers, null, 2);
      var tabs = audience.examples.map(function (example) {
        var hasVariables = Object.keys(example.variables).length > 0;
        return {
          query: example.query,
          variables: hasVariables ? JSON.stringify(example.variables, null, 2) : undefined,
          headers: headerText,
        };
      });
      root.render(React.createElement(GraphiQL, {
        key: key,
        fetcher: fetcher,
        plugins: [explorer],
        defaultTabs: tabs,
        defaultHeaders: headerText,
        storage: memoryStorage(),
        shouldPersistHeaders: false,
        isHeadersEditorEnabled: true,
        defaultEditorToolsVisibility: true,
      }));
    });
  }

  var requested = window.location.hash.slice(1);
  if (config.audiences.some(function (a) { return a.key === requested; })) {
    select.value = requested;
  }
  select.addEventListener("change", function () {
    window.history.replaceState(null, "", "#" + select.value);
    show(select.value);
  });
  show(select.value);
})();
