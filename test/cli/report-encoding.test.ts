// `validate -o json|sarif` in a real process: the report reaches stdout (and --output) as valid UTF-8, written in
// batches (src/report/parts.ts), with non-ASCII rule messages and resource names neither broken nor escaped twice.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "./run.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");
const NAME = (i: number) => `nächtlich-备份-🐘-${i}`;

/** Enough resources for a report of more than 1 MiB: batches of both kinds, one-byte and two-byte, alternate. */
function manifests(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    const wide = i % 3 === 0;
    docs.push(
      `apiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata:\n  name: ${JSON.stringify(wide ? NAME(i) : `plain-${i}`)}\n  namespace: db\n` +
        `spec:\n  schedule: "0 0 1 * * *"\n  cluster:\n    name: pg\n  method: plugin\n  pluginConfiguration:\n    name: barman-cloud.cloudnative-pg.io\n` +
        (wide ? "  target: primary\n" : ""),
    );
  }
  return docs.join("---\n");
}

function cli(args: string[]): { status: number | null; stdout: Buffer; stderr: string } {
  const script = `import { main } from ${JSON.stringify(join(ROOT, "src/cli/main.ts"))}; process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, timeout: 120_000, maxBuffer: 1 << 30 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString("utf8") };
}

test("validate -o json and -o sarif: non-ASCII messages and names round-trip through stdout and --output", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-utf8-"));
  try {
    const file = join(dir, "backups-ü.yaml");
    const count = 1200;
    writeFileSync(file, manifests(count));
    for (const format of ["json", "sarif"]) {
      const out = cli(["validate", file, "-o", format]);
      assert.ok(out.status === 0 || out.status === 1, out.stderr);
      assert.ok(out.stdout.length > 1 << 20, `a report of more than one batch (${out.stdout.length} bytes)`);
      const text = new TextDecoder("utf-8", { fatal: true }).decode(out.stdout);
      // One JSON.stringify of what it parses to gives the same text: nothing escaped twice, nothing cut.
      const doc = JSON.parse(text);
      assert.equal(`${JSON.stringify(doc, null, 2)}\n`, text);
      assert.doesNotMatch(text, /\\u(2014|00e4|5907|d83d)/i);
      const messages: string[] = [];
      const names: string[] = [];
      if (format === "json") {
        assert.equal(doc.results.length, count);
        for (const r of doc.results) {
          names.push(r.name);
          for (const f of r.findings) if (f.rule === "cnpg-backup-target") messages.push(f.message);
        }
        assert.equal(doc.results[0].source, file);
      } else {
        for (const r of doc.runs[0].results) {
          if (r.ruleId !== "cnpg-backup-target") continue;
          messages.push(r.message.text);
          names.push(r.locations[0].logicalLocations[0].name);
        }
        assert.ok(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri.endsWith("backups-%C3%BC.yaml"));
      }
      assert.equal(messages.length, count / 3, "one target: primary finding per third resource");
      for (const m of messages) assert.match(m, /prefer-standby — CNPG still falls back/);
      for (let i = 0; i < count; i += 3) assert.ok(names.includes(NAME(i)), NAME(i));
      // --output writes the same bytes; the in-process run (Io.stdout parts) the same text.
      const to = join(dir, `report.${format}`);
      const written = cli(["validate", file, "-o", format, "--output", to]);
      assert.equal(written.status, out.status, written.stderr);
      assert.equal(written.stdout.length, 0);
      assert.ok(readFileSync(to).equals(out.stdout), `--output ${format}: same bytes as stdout`);
      const inProcess = await run(["validate", file, "-o", format], { now: new Date() });
      assert.equal(inProcess.stdout, text);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
