// Runs the graphql-http server audits (GraphQL over HTTP spec) against a live /graphql URL
// (argv[2]) and prints one JSON array of {id, name, status, reason}; status is ok|warn|error.
import { serverAudits } from "graphql-http";

const url = process.argv[2];
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
