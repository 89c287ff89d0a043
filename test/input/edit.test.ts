import { test } from "node:test";
import assert from "node:assert/strict";
import { parseDocument } from "yaml";
import { applyDiff } from "../../src/input/edit.ts";

const TEXT = `# head
kind: Cluster
spec:
  instances: 3 # three
  plugins:
    - name: a # first
  backup:
    target: primary
`;

test("applyDiff changes only what differs and keeps comments", () => {
  const doc = parseDocument(TEXT);
  const before = doc.toJS();
  const after = structuredClone(before);
  after.spec.backup.target = "prefer-standby";
  after.spec.plugins.push({ name: "b", isWALArchiver: true });
  after.spec.backup.volumeSnapshot = { className: "csi" };
  applyDiff(doc, [], before, after);
  const out = doc.toString();
  assert.deepEqual(parseDocument(out).toJS(), after);
  for (const comment of ["# head", "# three", "# first"]) assert.ok(out.includes(comment), `${comment} kept:\n${out}`);
});

test("applyDiff removes keys and replaces arrays that shrank", () => {
  const doc = parseDocument("a: 1\nb: [1, 2, 3]\nc: {d: 1}\n");
  applyDiff(doc, [], doc.toJS(), { b: [9], c: { d: 2 } });
  assert.deepEqual(doc.toJS(), { b: [9], c: { d: 2 } });
});
