import { test } from "node:test";
import assert from "node:assert/strict";
import { formatPgDuration, parsePgDuration } from "../../src/util/pgduration.ts";
import { formatDuration, parseDuration } from "../../src/util/duration.ts";

test("PostgreSQL durations: units, default unit, whitespace", () => {
  const ok = (v: unknown, s: number, unit?: "s" | "ms" | "min") => assert.deepEqual(parsePgDuration(v, unit), { ok: true, seconds: s });
  ok("300", 300);
  ok("300s", 300);
  ok("5min", 300);
  ok(" 5 min ", 300);
  ok("1h", 3600);
  ok("1d", 86400);
  ok("1500ms", 1.5);
  ok("0", 0);
  ok("1.5min", 90);
  ok(300, 300);
  ok("10", 600, "min");
});

test("PostgreSQL durations: errors are values, not throws", () => {
  for (const v of ["5 minutes", "abc", "", "5m", "1e400", {}, null, "9".repeat(100)]) {
    const r = parsePgDuration(v);
    assert.equal(r.ok, false, `should reject ${JSON.stringify(v)}`);
  }
  const r = parsePgDuration("5m");
  assert.ok(!r.ok && r.error.includes('invalid unit "m"'));
});

test("formatPgDuration picks the largest whole unit", () => {
  assert.equal(formatPgDuration(300), "5min");
  assert.equal(formatPgDuration(7200), "2h");
  assert.equal(formatPgDuration(90), "90s");
  assert.equal(formatPgDuration(0), "0s");
});

test("policy durations", () => {
  assert.equal(parseDuration("30s"), 30);
  assert.equal(parseDuration("1h30m"), 5400);
  assert.equal(parseDuration("7d"), 604800);
  assert.equal(parseDuration("2w"), 1209600);
  for (const bad of ["", "7days", "1.5h", "h", "-1h", "5 m"]) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(formatDuration(604800), "7d");
  assert.equal(formatDuration(5400), "1h30m");
  assert.equal(formatDuration(0), "0s");
});
