// graphql-js against a live endpoint: builds a client schema from the server's introspection (the query GraphiQL
// sends, every option on) and compares it, printed and sorted, with the public SDL printed the same way.
// Usage: node introspect.mjs URL AUTHORIZATION SDL_FILE. Exit 0: identical; 1: the differing lines are printed.
import { readFileSync } from "node:fs";
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from "graphql";

const [url, authorization, sdlFile] = process.argv.slice(2);
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const response = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json", authorization },
  body: JSON.stringify({ query }),
});
const body = await response.json();
if (!body.data) {
  console.log(`no data (HTTP ${response.status}): ${JSON.stringify(body).slice(0, 2000)}`);
  process.exit(1);
}
const print = (schema) => printSchema(lexicographicSortSchema(schema));
const live = print(buildClientSchema(body.data));
const documented = print(buildSchema(readFileSync(sdlFile, "utf8")));
if (live === documented) {
  console.log(`identical: ${live.split("\n").length} lines`);
  process.exit(0);
}
const a = live.split("\n");
const b = documented.split("\n");
let shown = 0;
for (let i = 0; i < Math.max(a.length, b.length) && shown < 20; i++) {
  if (a[i] !== b[i]) {
    console.log(`line ${i + 1}:\n  live:   ${a[i]}\n  public: ${b[i]}`);
    shown++;
  }
}
process.exit(1);
