// The codec on its own: no HTTP, no engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  allowed,
  auditAnnotations,
  auditKey,
  denied,
  denyMessage,
  errored,
  jsonDepth,
  LIMITS,
  parseAdmissionReview,
  patched,
  review,
  warningLines,
  shorten,
  sentences,
} from "../../src/webhook/admission.ts";
import { diffPatch } from "../../src/webhook/handler.ts";

const base = () => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "u",
    kind: { group: "postgresql.cnpg.io", version: "v1", kind: "Cluster" },
    operation: "CREATE",
    namespace: "db",
    object: { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", metadata: { name: "pg" } },
  } as Record<string, unknown>,
});

test("parseAdmissionReview accepts a v1 review and normalises dryRun", () => {
  const r = parseAdmissionReview(base());
  assert.ok(r.ok);
  assert.equal(r.request.uid, "u");
  assert.equal(r.request.dryRun, false);
  assert.equal(r.request.subResource, undefined);
});

test("parseAdmissionReview refuses what is not a usable review, with the uid when known", () => {
  const cases: [unknown, RegExp, boolean][] = [
    [null, /not a JSON object/, false],
    [[], /not a JSON object/, false],
    [{ ...base(), kind: "Pod" }, /expected "AdmissionReview"/, false],
    [{ ...base(), apiVersion: "admission.k8s.io/v1beta1" }, /only admission\.k8s\.io\/v1/, false],
    [{ ...base(), request: "x" }, /request is missing/, false],
    [{ ...base(), request: { ...base().request, uid: "" } }, /uid is missing/, false],
    [{ ...base(), request: { ...base().request, uid: 5 } }, /uid is missing/, false],
    [{ ...base(), request: { ...base().request, operation: "PATCH" } }, /operation/, true],
    [{ ...base(), request: { ...base().request, kind: "Cluster" } }, /request\.kind/, true],
    [{ ...base(), request: { ...base().request, object: undefined } }, /object is missing on CREATE/, true],
    [{ ...base(), request: { ...base().request, object: [] } }, /object is missing on CREATE/, true],
    [{ ...base(), request: { ...base().request, operation: "UPDATE" } }, /oldObject is missing on UPDATE/, true],
  ];
  for (const [body, re, hasUid] of cases) {
    const r = parseAdmissionReview(body);
    assert.equal(r.ok, false, JSON.stringify(body));
    if (!r.ok) {
      assert.match(r.message, re);
      assert.equal(r.uid !== undefined, hasUid, r.message);
    }
  }
  // DELETE needs no object.
  const del = parseAdmissionReview({ ...base(), request: { ...base().request, operation: "DELETE", object: null, oldObject: {} } });
  assert.ok(del.ok);
});

test("response helpers", () => {
  assert.deepEqual(review(allowed("u")), { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "u", allowed: true } });
  assert.deepEqual(allowed("u", { warnings: [], auditAnnotations: {} }), { uid: "u", allowed: true });
  const d = denied("u", "no", { warnings: ["w"] });
  assert.deepEqual(d, { uid: "u", allowed: false, status: { code: 403, message: "no", reason: "Forbidden" }, warnings: ["w"] });
  assert.deepEqual(patched("u", []), { uid: "u", allowed: true });
  const p = patched("u", [{ op: "add", path: "/a", value: 1 }]);
  assert.equal(p.patchType, "JSONPatch");
  assert.deepEqual(JSON.parse(Buffer.from(p.patch!, "base64").toString()), [{ op: "add", path: "/a", value: 1 }]);
  assert.equal(errored("u", 400, "bad").status?.code, 400);
  assert.equal(errored("u", 400, "bad").allowed, false);
});

test("diffPatch escapes / and ~ in keys (RFC 6901)", () => {
  const before = { metadata: { annotations: { "a/b": "1" } }, spec: { "x~y": 1, list: [1, 2, 3] } };
  const after = { metadata: { annotations: { "a/b": "2", "pgbackupguard.io/x~1": "y" } }, spec: { "x~y": 2, list: [1, 2] } };
  const ops = diffPatch(before, after);
  const paths = ops.map((o) => `${o.op} ${o.path}`).sort();
  assert.deepEqual(paths, [
    "add /metadata/annotations/pgbackupguard.io~1x~01",
    "remove /spec/list/2",
    "replace /metadata/annotations/a~1b",
    "replace /spec/x~0y",
  ]);
  assert.deepEqual(diffPatch(before, structuredClone(before)), []);
});

test("denyMessage lists every finding and stays bounded", () => {
  const items = [
    { rule: "a", path: "spec.x", message: "bad x" },
    { rule: "b", path: "", message: "bad\nwhole" },
  ];
  assert.equal(denyMessage("Cluster db/pg", items), "pg-backup-guard denied Cluster db/pg: [a] spec.x: bad x; [b] bad whole");
  const many = Array.from({ length: 200 }, (_, i) => ({ rule: `r${i}`, path: "spec", message: "m".repeat(100) }));
  const msg = denyMessage("Cluster db/pg", many);
  assert.ok(msg.length <= LIMITS.messageChars + 100, String(msg.length));
  assert.match(msg, /and \d+ more finding\(s\)/);
});

test("warningLines: one line each, ≤ 256 chars, ≤ 4 KiB in total", () => {
  const long = `[r] spec: ${"First sentence that says what is wrong. ".repeat(3)}${"y".repeat(400)}`;
  const out = warningLines([long, "a\tb\nc", ...Array.from({ length: 40 }, () => "w".repeat(200))]);
  assert.ok(out[0]!.length <= LIMITS.warningChars);
  assert.ok(out[0]!.startsWith("[r] spec: First sentence that says what is wrong."), out[0]);
  assert.equal(out[1], "a b c");
  assert.ok(out.reduce((n, w) => n + w.length, 0) <= LIMITS.warningsTotalChars);
  assert.match(out.at(-1)!, /more warning\(s\) not shown/);
});

test("shorten keeps the fix sentence, drops middle sentences, never cuts after e.g.", () => {
  const what = "[cnpg-schedule-six-fields] spec.schedule: the schedule has 5 fields, e.g. 0 0 * * * is read as hourly.";
  const why = " CNPG reads the first field as seconds, so the backup runs 24 times a day instead of once, which fills the bucket.".repeat(2);
  const fix = " Write 6 fields, e.g. \"0 0 0 * * *\" for midnight.";
  const out = shorten(what + why + fix, 256);
  assert.ok(out.length <= 256, String(out.length));
  assert.ok(out.startsWith(what), out);
  assert.ok(out.endsWith(fix.trim()), out);
  assert.match(out, / … Write 6 fields/);
  assert.doesNotMatch(out, /e\.g\.$/);
  assert.deepEqual(sentences("One, e.g. this. Two i.e. that. Three."), ["One, e.g. this.", "Two i.e. that.", "Three."]);
  // Short enough: untouched. One huge sentence: cut hard with an ellipsis.
  assert.equal(shorten("short. text.", 256), "short. text.");
  assert.equal(shorten("x".repeat(300), 256).length, 256);
});

test("audit annotation keys are qualified names; values joined per rule and bounded", () => {
  assert.equal(auditKey("cnpg-backup-target"), "cnpg-backup-target");
  assert.equal(auditKey("weird/id with spaces-"), "weird-id-with-spaces");
  assert.ok(auditKey("x".repeat(100)).length <= 63);
  const a = auditAnnotations([
    { rule: "r", path: "p", message: "one" },
    { rule: "r", path: "q", message: "two".repeat(1000) },
  ]);
  assert.deepEqual(Object.keys(a), ["r"]);
  assert.ok(a.r!.startsWith("p: one; q: two"));
  assert.ok(a.r!.length <= LIMITS.auditValueChars);
});

test("jsonDepth is iterative and stops early", () => {
  assert.equal(jsonDepth(1), 0);
  assert.equal(jsonDepth({ a: [1, { b: 2 }] }), 3);
  let deep: unknown = 1;
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.ok(jsonDepth(deep, 100) > 100);
});
