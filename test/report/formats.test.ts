import { test } from "node:test";
import assert from "node:assert/strict";
import { formatJson } from "../../src/report/json.ts";
import { escapeData, escapeProperty, formatGithub } from "../../src/report/github.ts";
import { formatJunit } from "../../src/report/junit.ts";
import { formatSarif, pathToUri } from "../../src/report/sarif.ts";
import { formatText } from "../../src/report/text.ts";
import { allRules } from "../../src/rules/index.ts";
import { checkXml, REPORT } from "./fixture.ts";

test("json: the documented shape and counts", () => {
  const out = JSON.parse(formatJson(REPORT));
  assert.deepEqual(out.summary, { resources: 2, denied: 1, warned: 1 });
  const r = out.results[0];
  for (const key of ["source", "line", "apiVersion", "kind", "namespace", "name", "allowed", "findings"]) assert.ok(key in r, key);
  assert.deepEqual(Object.keys(r.findings[0]), ["rule", "action", "path", "line", "message"]);
  assert.equal(out.results[1].namespace, null);
});

test("github: escaping follows the workflow-command rules", () => {
  assert.equal(escapeData("100%\r\nx"), "100%25%0D%0Ax");
  assert.equal(escapeProperty("a:b,c%"), "a%3Ab%2Cc%25");
  const lines = formatGithub(REPORT).trimEnd().split("\n");
  assert.equal(lines.length, 4);
  assert.match(lines[0]!, /^::error file=dir\/a b\.yaml,line=3,title=cnpg-wal-archive-required \(Cluster db\/pg\)::spec\.plugins: no WAL archive, 100%25 <bad>/);
  assert.ok(lines[0]!.includes("%0Asecond line"));
  assert.match(lines[1]!, /^::warning file=.*title=cnpg-backup-target/);
  // An ignored exemption is a notice, as the text report lists it.
  assert.equal(lines[2], "::notice file=dir/a b.yaml,line=3,title=exemption ignored%3A cnpg-retention-required (Cluster db/pg)::exemption for cnpg-retention-required ignored: reason missing");
});

test("junit: well-formed XML, deny as failure, warn as system-out, not-checked as skipped", () => {
  const xml = formatJunit(REPORT);
  checkXml(xml);
  assert.match(xml, /<testsuites name="pg-backup-guard" tests="5" failures="1" errors="0" skipped="1"/);
  assert.match(xml, /<testsuite name="empty.yaml" tests="0"/);
  assert.match(xml, /<failure message="spec.plugins: no WAL archive, 100% &lt;bad&gt; &amp; &quot;quoted&quot;/);
  assert.match(xml, /<system-out>WARN dir\/a b.yaml:3 spec.backup.target/);
  assert.match(xml, /<skipped message="not checked: ObjectStore kind unknown"\/>/);
});

test("junit: the XML checker catches broken markup", () => {
  assert.throws(() => checkXml("<a><b></a>"));
  assert.throws(() => checkXml("<a>x & y</a>"));
});

test("sarif: 2.1.0 with rules, levels and locations", () => {
  const sarif = JSON.parse(formatSarif(REPORT, allRules, "0.1.0"));
  assert.equal(sarif.version, "2.1.0");
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, "pg-backup-guard");
  assert.equal(run.tool.driver.rules.length, allRules.length);
  for (const r of run.tool.driver.rules) assert.ok(r.id && r.shortDescription.text && r.help.text, r.id);
  assert.deepEqual(run.results.map((r: { level: string }) => r.level), ["error", "warning"]);
  const loc = run.results[0].locations[0].physicalLocation;
  assert.deepEqual(loc, { artifactLocation: { uri: "dir/a%20b.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 3 } });
  if (allRules.some((r) => r.meta.id === "cnpg-wal-archive-required")) assert.equal(typeof run.results[0].ruleIndex, "number");
  assert.equal(pathToUri("a/#b.yaml"), "a/%23b.yaml");
});

test("text: grouped per resource with file:line, colour only when asked", () => {
  const plain = formatText(REPORT, { color: false });
  assert.match(plain, /^dir\/a b\.yaml:3  Cluster db\/pg  denied$/m);
  assert.match(plain, /deny  cnpg-wal-archive-required  spec\.plugins: no WAL archive/);
  assert.match(plain, /skip  cnpg-object-store-exists  not checked/);
  assert.match(plain, /exemption for cnpg-retention-required ignored: reason missing/);
  assert.match(plain, /2 resources checked, 1 denied, 1 with warnings, 1 clean/);
  assert.doesNotMatch(plain, /\u001b\[/);
  assert.match(formatText(REPORT, { color: true }), /\u001b\[31m/);
});
