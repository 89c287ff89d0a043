// validate and mutate over every upstream CNPG sample: no crash, every covered resource reported, and every
// mutated resource still valid against the upstream CRD schema. Prints which samples are denied and why.
import { test } from "node:test";
import assert from "node:assert/strict";
import { hasShared, sharedPath, SKIP_NO_SHARED } from "../helpers/shared.ts";
import { crdValidator } from "../helpers/crd-schema.ts";
import { admitAll, prepare } from "../../src/cli/pipeline.ts";
import { resourceTypeOf } from "../../src/engine/resource.ts";
import { renderMutated } from "../../src/cli/mutate.ts";
import { parseManifests } from "../../src/input/parse.ts";

const DIRS = ["upstream/cnpg/samples", "upstream/cnpg/plugin-barman-cloud-examples"];
const NOW = new Date("2026-01-15T12:00:00Z");

const CRDS: Record<string, string> = {
  "postgresql.cnpg.io/v1/Cluster": "upstream/cnpg/postgresql.cnpg.io_clusters.yaml",
  "postgresql.cnpg.io/v1/Backup": "upstream/cnpg/postgresql.cnpg.io_backups.yaml",
  "postgresql.cnpg.io/v1/ScheduledBackup": "upstream/cnpg/postgresql.cnpg.io_scheduledbackups.yaml",
  "barmancloud.cnpg.io/v1/ObjectStore": "upstream/cnpg/barmancloud.cnpg.io_objectstores.yaml",
  "snapshot.storage.k8s.io/v1/VolumeSnapshotClass": "upstream/snapshot/snapshot.storage.k8s.io_volumesnapshotclasses.yaml",
};

for (const dir of DIRS) {
  test(`CNPG corpus: ${dir}`, async (t) => {
    if (!hasShared) {
      t.skip(SKIP_NO_SHARED);
      return;
    }
    const options = { paths: [sharedPath(dir)], policyPaths: [], lookupPaths: [], readStdin: async () => ({ ok: true as const, value: "" }) };
    // mutate reads editable YAML documents; validate takes the fast parser: both must see the same objects.
    const prepared = await prepare({ ...options, editable: true });
    assert.ok(prepared.ok, prepared.ok ? "" : prepared.errors.join("\n"));
    const fast = await prepare(options);
    assert.ok(fast.ok);
    const view = (p: typeof fast) => (p.ok ? p.prepared.sources.flatMap((s) => s.objects.map((o) => [o.source, o.line, o.object])) : []);
    assert.deepEqual(view(fast), view(prepared), "the fast parser and the yaml parser disagree");
    const { admitted, report } = admitAll(prepared.prepared, NOW);
    const covered = prepared.prepared.sources.flatMap((s) => s.objects).filter((o) => resourceTypeOf(o.object));
    assert.equal(report.results.length, covered.length, "every covered resource is reported");
    assert.ok(covered.length > 0);

    const validators = new Map<string, (o: unknown) => string[]>();
    for (const a of admitted) {
      const type = resourceTypeOf(a.mutation.resource)!;
      const crd = CRDS[type];
      if (!crd) continue;
      if (!validators.has(type)) validators.set(type, crdValidator(sharedPath(crd)));
      const check = validators.get(type)!;
      const before = new Set(check(a.input.object));
      const added = check(a.mutation.resource).filter((e) => !before.has(e));
      assert.deepEqual(added, [], `${a.input.source}:${a.input.line}: mutation broke the CRD schema`);
      assert.deepEqual(a.mutation.errors, [], `${a.input.source}: a defaulter failed`);
    }

    // mutate's YAML output parses back to the mutated objects.
    const text = renderMutated(prepared.prepared.sources, admitted);
    const back = parseManifests(text, "mutated");
    assert.ok(back.ok, back.ok ? "" : back.error.message);
    const reparsed = back.parsed.objects.filter((o) => resourceTypeOf(o.object)).map((o) => o.object);
    assert.deepEqual(reparsed, admitted.map((a) => a.mutation.resource));

    const denied = report.results.filter((r) => !r.allowed);
    const lines = denied.map(
      (r) => `  ${r.source.slice(sharedPath(dir).length + 1)}:${r.line} ${r.kind} ${r.name}: ${[...new Set(r.findings.filter((f) => f.action === "deny").map((f) => f.rule))].join(", ")}`,
    );
    const defaulted = admitted.filter((a) => a.mutation.changes.length > 0).length;
    console.log(`${dir}: ${report.results.length} resources, ${denied.length} denied, ${defaulted} defaulted\n${lines.join("\n")}`);
  });
}
