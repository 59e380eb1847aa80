// Prints graphql-inspector's classification of schema changes, for the differential test of `generator diff`
// (tests/it/diff_inspector.rs). Reads a JSON array of {old, new} SDL pairs on stdin; writes a JSON array with, for
// each pair, the changes as {type, level, path, message}, or {error} when a schema does not build.
import { buildSchema } from 'graphql';
import { diff } from '@graphql-inspector/core';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const pairs = JSON.parse(input);
const out = [];
for (const { old, new: next } of pairs) {
  try {
    const changes = await diff(buildSchema(old), buildSchema(next));
    out.push(changes.map((c) => ({ type: c.type, level: c.criticality.level, path: c.path ?? null, message: c.message })));
  } catch (e) {
    out.push({ error: String(e && e.message ? e.message : e) });
  }
}
process.stdout.write(JSON.stringify(out));
