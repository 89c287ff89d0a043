// The line of a field: the fast path (the js-yaml events the fast parser kept, and for an object without them the
// events of its document's slice) and the full parser's nodes agree on every field of every upstream sample, and on
// hand-made shapes repositories hold (indented documents, empty documents, comments, flow maps, dotted keys).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseManifests } from "../../src/input/parse.ts";
import { parseManifestsFast } from "../../src/input/fast-parse.ts";
import { fieldLine } from "../../src/input/locate.ts";
import { documentEvents } from "../../src/input/events.ts";
import type { FieldSegment } from "../../src/engine/field-path.ts";
import type { ParsedSource } from "../../src/input/types.ts";
import { hasShared, SKIP_NO_SHARED, sharedPath, yamlFiles } from "../helpers/shared.ts";

/** Every path to a field or item of the value (and, for each, one step further that is not there). */
function paths(v: unknown, prefix: FieldSegment[] = [], out: FieldSegment[][] = []): FieldSegment[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

function both(text: string): { fast: ParsedSource; full: ParsedSource } {
  const fast = parseManifestsFast(text, "x.yaml", { keepEvents: true }); // as parseSource reads for validate
  const full = parseManifests(text, "x.yaml");
  assert.ok(fast, "the fast parser takes it");
  assert.ok(full.ok);
  return { fast, full: full.parsed };
}

function agree(text: string, label: string): number {
  const { fast, full } = both(text);
  assert.equal(fast.objects.length, full.objects.length, label);
  let n = 0;
  for (const [i, o] of fast.objects.entries()) {
    assert.ok(o.span, `${label}: the fast parser gives the document's span`);
    assert.ok(documentEvents.has(o), `${label}: the fast parser keeps the events`);
    const copy = { ...o }; // no kept events: its slice is parsed again
    for (const p of paths(o.object)) {
      for (const q of [p, [...p, "not-there"]]) {
        const a = fieldLine(fast, o, q);
        const b = fieldLine(full, full.objects[i]!, q);
        assert.equal(a, b, `${label} #${i} ${JSON.stringify(q)}`);
        assert.equal(fieldLine(fast, copy, q), b, `${label} #${i} ${JSON.stringify(q)} (slice)`);
        n++;
      }
    }
  }
  return n;
}


test("fast path and full parser agree on every field of every upstream sample", (t) => {
  if (!hasShared) return t.skip(SKIP_NO_SHARED);
  let fields = 0;
  let files = 0;
  for (const file of yamlFiles(sharedPath("upstream")).filter((f) => !/_|crds?\b|\/crd/.test(f.slice(sharedPath("upstream").length)))) {
    const text = readFileSync(file, "utf8");
    if (!parseManifestsFast(text, "x.yaml") || !parseManifests(text, "x.yaml").ok) continue; // Lists, aliases: full parser only
    fields += agree(text, file);
    files++;
  }
  assert.ok(files > 20, `${files} sample files`);
  t.diagnostic(`${files} files, ${fields} fields`);
});

test("hand-made shapes: indented documents, empty documents, comments, flow maps, dotted keys", () => {
  const text = [
    "# leading comment",
    "---",
    "---",
    "  apiVersion: postgresql.cnpg.io/v1   # indented document",
    "  kind: Cluster",
    "  metadata: {name: a, labels: {x.y/z: '1'}}",
    "  spec:",
    "    postgresql:",
    "      parameters:",
    "        pg_stat_statements.max: '10000'",
    "        archive_timeout: 5min",
    "--- # a comment after the marker",
    "apiVersion: postgresql.cnpg.io/v1",
    "kind: ScheduledBackup",
    "metadata:",
    "  name: b",
    "spec: {schedule: '0 0 0 * * *',",
    "  cluster: {name: a}}",
    "...",
    "---",
    "",
  ].join("\n");
  agree(text, "hand-made");
  const { fast } = both(text);
  const [a, b] = fast.objects;
  assert.equal(fieldLine(fast, a!, ["spec", "postgresql", "parameters", "pg_stat_statements.max"]), 10);
  assert.equal(fieldLine(fast, a!, ["spec", "postgresql", "parameters", "pg_stat_statements", "max"]), 10, "a dotted key split by a dotted path");
  assert.equal(fieldLine(fast, a!, ["spec", "postgresql", "parameters", "archive_timeout"]), 11);
  assert.equal(fieldLine(fast, a!, ["spec", "backup"]), 7, "missing: the line of its parent");
  assert.equal(fieldLine(fast, b!, ["spec", "cluster", "name"]), 18);
  assert.equal(fieldLine(fast, b!, []), 13);
});

test("quoted, escaped and empty keys, through the kept events and through a slice", () => {
  const text = [
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata: {name: q}",
    "data:",
    '  "a.b": one',
    "  'c''d': two",
    '  "e\\u0066": three',
    '  "": five',
    "",
  ].join("\n");
  const n = agree(text, "quoted keys");
  assert.ok(n > 10);
  const { fast } = both(text);
  const [o] = fast.objects;
  assert.equal(fieldLine(fast, o!, ["data", "a.b"]), 5);
  assert.equal(fieldLine(fast, o!, ["data", "a", "b"]), 5, "a dotted quoted key split by a dotted path");
  assert.equal(fieldLine(fast, o!, ["data", "c'd"]), 6);
  assert.equal(fieldLine(fast, o!, ["data", "ef"]), 7);
  assert.equal(fieldLine(fast, o!, ["data", ""]), 8);
});
