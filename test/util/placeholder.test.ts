import { test } from "node:test";
import assert from "node:assert/strict";
import { firstPlaceholder, hasPlaceholder } from "../../src/util/placeholder.ts";
import { hasPlaceholder as inputHasPlaceholder } from "../../src/input/envsubst.ts";

test("placeholders: closed ${...} only; one definition for input and rules", () => {
  assert.equal(inputHasPlaceholder, hasPlaceholder);
  for (const v of ["${APP}-db", "pre-${X:=y}", "${}", "a${b}c${d}"]) assert.equal(hasPlaceholder(v), true, v);
  for (const v of ["shop-db", "$APP", "${unclosed", "}{$", "", 42, null, undefined, { a: "${X}" }]) assert.equal(hasPlaceholder(v), false, String(v));
  assert.equal(firstPlaceholder("x-${APP}-${ENV}"), "${APP}");
  assert.equal(firstPlaceholder("none"), undefined);
  assert.equal(firstPlaceholder(`\${${"A".repeat(500)}}`)!.length, 80, "shortened for messages");
});

test("placeholders: linear on adversarial strings (a regex restarting at every ${ would be quadratic)", { timeout: 10_000 }, () => {
  const open = "${".repeat(500_000);
  assert.equal(hasPlaceholder(open), false);
  assert.equal(hasPlaceholder(`${open}}`), true);
  assert.equal(firstPlaceholder(`${open}}`)!.endsWith("...}"), true);
});
