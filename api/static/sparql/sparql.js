// The query page: YASGUI on this endpoint (settings from api/sparql/page.py).
// Everything it needs is on this host: completions come from the page, not from prefix.cc or LOV.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("sparql-settings").textContent);
  var bar = document.getElementById("result-bar");
  var notice = document.getElementById("truncated");
  var downloads = document.getElementById("downloads");
  var share = document.getElementById("share-link");

  if (typeof Yasgui === "undefined") {
    document.getElementById("assets-missing").hidden = false;
    return;
  }
  var Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;

  // -- completion: prefixes, the store's classes and properties, the query's variables ----------
  // YASQE's own completers ask prefix.cc and Linked Open Vocabularies; these get the page's data.
  var known = settings.display_prefixes; // the predeclared ones, then group:, person:, doc:, ...
  var prefixLines = Object.keys(known).map(function (p) { return p + ": <" + known[p] + ">"; });
  Yasqe.registerAutocompleter(Object.assign({}, Yasqe.Autocompleters.prefixes, {get: prefixLines}));

  // A term as typed ("ietf:Are", "<https://...") -> the IRI start the store's terms are matched on.
  function expandTerm(yasqe, token) {
    var text = token.string.trim(), colon = text.indexOf(":");
    var prefixes = Object.assign({}, known, yasqe.getPrefixesFromQuery());
    token.tokenPrefix = token.tokenPrefixUri = undefined;
    if (text.charAt(0) === "<") {
      token.autocompletionString = text.replace(/^</, "").replace(/>$/, "");
    } else if (colon >= 0 && prefixes[text.slice(0, colon)] !== undefined) {
      token.tokenPrefix = text.slice(0, colon + 1);
      token.tokenPrefixUri = prefixes[text.slice(0, colon)];
      token.autocompletionString = token.tokenPrefixUri + text.slice(colon + 1);
    } else {
      token.autocompletionString = text;
    }
    return token;
  }
  // ... and a matched IRI back in the form it was typed: prefixed if it was, else <IRI>.
  function writeTerm(_yasqe, token, iri) {
    var ns = token.tokenPrefixUri;
    return ns !== undefined && iri.indexOf(ns) === 0 ? token.tokenPrefix + iri.slice(ns.length) : "<" + iri + ">";
  }
  function storeTerms(name, terms) {
    // bulk: the list is on the page, matched locally; autoShow: it opens as the name is typed;
    // persistenceId gives no key, so nothing is copied to localStorage (no key would mean the tab's)
    return Object.assign({}, Yasqe.Autocompleters[name], {
      get: terms, bulk: true, autoShow: true, persistenceId: function () { return undefined; },
      preProcessToken: expandTerm, postProcessSuggestion: writeTerm,
    });
  }
  Yasqe.registerAutocompleter(storeTerms("class", settings.terms.classes));
  Yasqe.registerAutocompleter(storeTerms("property", settings.terms.properties));
  Yasqe.defaults.autocompleters.splice(
    0, Yasqe.defaults.autocompleters.length, "prefixes", "class", "property", "variables");

  // -- result IRIs of the graph link to their entity pages ---------------------------------------
  var pages = settings.pages;
  function entityPage(iri) {
    if (iri.indexOf(pages.base) !== 0) return undefined;
    var path = iri.slice(pages.base.length);
    return pages.kinds.indexOf(path.split("/")[0]) >= 0 ? pages.root + path : null;
  }
  var Table = Yasr.plugins.table;
  var XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
  class LinkedTable extends Table {
    getUriLinkFromBinding(binding, prefixes) {
      var html = super.getUriLinkFromBinding(binding, prefixes);
      var page = entityPage(binding.value);
      var cell = document.createElement("template");
      cell.innerHTML = html;
      var link = cell.content.querySelector("a");
      // a prefixed name (YASR writes a whole IRI as <...>) stays on one line: a narrow column
      // would otherwise break "doc:rfc8446" letter by letter next to a long literal
      if (html.indexOf("&lt;") !== 0) link.classList.add("curie");
      if (page === undefined) return cell.innerHTML; // another host's IRI: YASR's own link out
      if (page === null) {
        // under our base but no page (an ontology term, say): text, not a link that resolves nowhere
        var text = document.createElement("span");
        text.className = link.className;
        text.textContent = link.textContent;
        link.replaceWith(text);
      } else {
        link.href = page;
        link.removeAttribute("target");
        link.classList.add("entity");
        link.title = binding.value;
      }
      return cell.innerHTML;
    }
    formatLiteral(literal, prefixes) {
      // "x"^^xsd:string is the plain literal "x" (RDF 1.1): shown plainly, as YASR shows untyped ones
      var plain = literal.datatype === XSD_STRING ? Object.assign({}, literal, {datatype: undefined}) : literal;
      return super.formatLiteral(plain, prefixes);
    }
  }
  Yasr.registerPlugin("table", LinkedTable);
  Yasr.defaults.errorRenderers = [errorBox]; // each tab's YASR takes its error renderers from here

  // -- errors: the endpoint's JSON error, said plainly ---------------------------------------------
  function errorBox(error) {
    var box = document.createElement("div");
    box.className = "query-failure";
    box.setAttribute("role", "alert");
    var heading = document.createElement("strong");
    var detail = document.createElement("p");
    try {
      var answer = JSON.parse(error.text).error;
      heading.textContent = "The endpoint did not run this query (" + answer.code + ")";
      detail.textContent = answer.message;
    } catch (e) {
      heading.textContent = error.text ? "The query failed" : "The endpoint did not answer";
      detail.textContent = error.text || error.statusText || "no response: is the server running?";
    }
    box.appendChild(heading);
    box.appendChild(detail);
    return Promise.resolve(box);
  }

  // -- downloads, shareable link, truncation notice -----------------------------------------------
  function queryUrl(query, format) {
    var url = settings.endpoint + "?query=" + encodeURIComponent(query);
    return format ? url + "&format=" + encodeURIComponent(format) : url;
  }
  function kindOf(yasqe) {
    var form = yasqe.getQueryType();
    return form === "CONSTRUCT" || form === "DESCRIBE" ? "rdf" : "results";
  }
  function postDownload(query, format) {
    // too long for a URL (the server answers 414): the same download as a POSTed form
    var form = document.createElement("form");
    form.method = "POST";
    form.action = settings.endpoint + "?format=" + encodeURIComponent(format);
    var field = document.createElement("textarea");
    field.name = "query";
    field.value = query;
    form.appendChild(field);
    form.hidden = true;
    document.body.appendChild(form);
    form.submit();
    form.remove();
  }
  function showDownloads(yasqe) {
    var query = yasqe.getValue();
    downloads.textContent = "Download every row: ";
    settings.formats[kindOf(yasqe)].forEach(function (f) {
      var link = document.createElement("a");
      link.href = queryUrl(query, f[0]);
      link.textContent = f[0].toUpperCase();
      link.title = f[1];
      link.setAttribute("data-format", f[0]);
      link.addEventListener("click", function (event) {
        if (link.href.length > settings.max_url_bytes) {
          event.preventDefault();
          postDownload(query, f[0]);
        }
      });
      downloads.appendChild(link);
    });
    downloads.hidden = false;
  }
  function showShareLink(yasqe) {
    // the link is encoded; its text shows the query as written (on one line), easier to recognise
    share.href = queryUrl(yasqe.getValue());
    var shown = settings.endpoint + "?query=" + yasqe.getValue().replace(/\s+/g, " ");
    share.textContent = shown.length > 100 ? shown.slice(0, 97) + "…" : shown;
  }
  function showTruncated(response) {
    // The IETFKG-Truncated header ("rows=10000", "triples=10000") says when the row cap cut the answer.
    var cut = response && response.headers && response.headers.get(settings.truncation_header);
    if (!cut && response && typeof response.content === "string" && /"truncated"\s*:\s*true\s*}\s*$/.test(response.content)) {
      cut = "rows=" + settings.max_rows;
    }
    notice.hidden = !cut;
    if (!cut) return;
    var parts = cut.split("="), count = Number(parts[1]).toLocaleString("en");
    var whole = parts[0] === "rows" ? " (" + settings.whole_formats.join(", ").toUpperCase() + " and the others)" : "";
    notice.textContent = "Only the first " + count + " " + parts[0] + " are shown: the row cap cut this result. " +
      "The downloads" + whole + " have all of them.";
  }

  // -- YASGUI ----------------------------------------------------------------------------------
  var examples = settings.examples;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: settings.endpoint, method: "POST", acceptHeaderGraph: "text/turtle"},
    copyEndpointOnNewTab: true,
    populateFromUrl: false, // ?query= is handled below, once the listeners are in place
    endpointCatalogueOptions: {getData: function () { return [{endpoint: settings.endpoint}]; }},
    yasqe: {value: examples[0].query},
    yasr: {prefixes: known}, // result IRIs as group:tls, person:104851, ietf:Area
  });

  window.ietfkgYasgui = yasgui; // for the console (and the browser tests)

  var wired = new WeakSet();
  function wire(tab) {
    var yasqe = tab.getYasqe();
    if (!yasqe || wired.has(yasqe)) return;
    wired.add(yasqe);
    yasqe.on("change", function (_yasqe, change) {
      if (change.origin === "paste") declarePrefixes(yasqe);
      showShareLink(yasqe);
    });
    yasqe.on("query", function () {
      notice.hidden = true;
      showDownloads(yasqe);
    });
    yasqe.on("queryResponse", function (_yasqe, response) { showTruncated(response); });
  }
  function select(tab) {
    if (!tab) return;
    wire(tab);
    var yasr = tab.getYasr();
    yasr.rootEl.parentNode.insertBefore(bar, yasr.rootEl); // between the editor and its results
    notice.hidden = true;
    downloads.hidden = true;
    showShareLink(tab.getYasqe());
  }
  yasgui.on("tabSelect", function (_yasgui, tabId) { setTimeout(function () { select(yasgui.getTab(tabId)); }); });
  select(yasgui.getTab());

  // The endpoint predeclares the prefixes, but YASQE marks a prefixed name it has no PREFIX line
  // for as a syntax error: a hand-written link's working query would open with a red mark. The
  // page adds the lines (as the prefix completer does when a name is typed), so it reads as valid
  // and runs on any endpoint.
  function declarePrefixes(yasqe) {
    var used = {};
    for (var line = 0; line < yasqe.lineCount(); line++) {
      yasqe.getLineTokens(line).forEach(function (token) {
        var name = token.string.slice(0, token.string.indexOf(":"));
        if (token.type === "string-2" && known[name] !== undefined) used[name] = known[name];
      });
    }
    yasqe.addPrefixes(used); // skips those the query declares
  }
  function body(query) { return query.replace(/^(PREFIX\s+[\w.-]*:\s*<[^>]*>\s*\n)+/i, ""); }
  function run(tab, query) {
    select(tab);
    tab.setQuery(query);
    declarePrefixes(tab.getYasqe());
    tab.getYasqe().query().catch(function () {}); // a failure is drawn by YASR
  }
  // A shared link (/sparql?query=...) opens its query in a tab of its own, and runs it.
  var shared = new URLSearchParams(window.location.search).get("query");
  if (shared !== null) {
    var current = yasgui.getTab();
    run(body(current.getQuery()) === body(shared) ? current : yasgui.addTab(true, {yasqe: {value: shared}}), shared);
  }
  document.querySelectorAll("nav.examples a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var example = examples.filter(function (e) { return e.name === link.getAttribute("data-example"); })[0];
      run(yasgui.getTab(), example.query);
    });
  });
})();
