// The webhook's Secret informer: metadata-only list and watch (PartialObjectMetadata), names only in the cache,
// and switched off unless asked for.
import { test } from "node:test";
import assert from "node:assert/strict";
import type { RequestListener, ServerResponse } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, liveLookups, secretNamesInformer, PARTIAL_METADATA_ACCEPT, PARTIAL_METADATA_LIST_ACCEPT } from "../../src/lookups/live-informers.ts";
import { parseServeArgs } from "../../src/cli/serve.ts";
import { kubeconfigText, withFakeApiServer } from "../helpers/fake-api-server.ts";

const PLANTED = "PGBG-PLANTED-informer-3b7d";

test("lists and watches Secrets as PartialObjectMetadata and keeps only names, even if the server sends data", async () => {
  const seen: { path: string; watch: boolean; accept: string }[] = [];
  let watchRes: ServerResponse | undefined;
  const handler: RequestListener = (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const watch = url.searchParams.get("watch") === "true";
    seen.push({ path: url.pathname, watch, accept: String(req.headers.accept) });
    if (url.pathname !== "/api/v1/secrets") return void res.writeHead(404).end();
    if (!watch) {
      const items = [{ metadata: { name: "listed", namespace: "db", resourceVersion: "1", annotations: { a: PLANTED } }, data: { k: PLANTED } }];
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ kind: "SecretList", apiVersion: "v1", metadata: { resourceVersion: "1" }, items }));
    }
    res.writeHead(200, { "content-type": "application/json" });
    const added = { type: "ADDED", object: { kind: "Secret", apiVersion: "v1", metadata: { name: "watched", namespace: "db", resourceVersion: "2", labels: { l: PLANTED } }, stringData: { k: PLANTED } } };
    res.write(`${JSON.stringify(added)}\n`);
    watchRes = res;
  };
  await withFakeApiServer(handler, async (kubeconfig) => {
    try {
      const informer = secretNamesInformer(await connect(kubeconfig));
      const added = new Promise<void>((resolve) => informer.on("add", (o) => o?.metadata?.name === "watched" && resolve()));
      await informer.start();
      await added;
      assert.deepEqual(informer.get("listed", "db"), { apiVersion: "v1", kind: "Secret", metadata: { name: "listed", namespace: "db", resourceVersion: "1" } });
      assert.deepEqual(informer.get("watched", "db"), { apiVersion: "v1", kind: "Secret", metadata: { name: "watched", namespace: "db", resourceVersion: "2" } });
      assert.ok(!JSON.stringify(informer.list()).includes(PLANTED));
      const list = seen.find((s) => !s.watch)!;
      const watch = seen.find((s) => s.watch)!;
      assert.equal(list.accept, PARTIAL_METADATA_LIST_ACCEPT);
      assert.equal(watch.accept, PARTIAL_METADATA_ACCEPT);
      await informer.stop();
    } finally {
      watchRes?.end();
    }
  });
});

test("Secret lookups are off by default: no informer, the kind disabled; --lookup-secrets switches them on", async () => {
  const dir = mkdtempSync(join(tmpdir(), "pgbg-informer-"));
  try {
    const kubeconfig = join(dir, "config");
    writeFileSync(kubeconfig, kubeconfigText("http://127.0.0.1:9"));
    const conn = await connect(kubeconfig);
    const off = liveLookups(conn);
    assert.ok(!off.kinds.has("Secret"));
    assert.ok(off.kinds.has("CpoCluster"));
    assert.equal(off.isDisabled("Secret"), true);
    assert.equal(off.isKnown("Secret"), false);
    assert.match(off.unavailableReason("Secret") ?? "", /Secret lookups are off .*--lookup-secrets/);
    const on = liveLookups(conn, { secrets: true });
    assert.ok(on.kinds.has("Secret"));
    assert.equal(on.isDisabled("Secret"), false);
  } finally {
    rmSync(dir, { recursive: true });
  }
  const flags = ["--tls-cert", "c", "--tls-key", "k"];
  const def = parseServeArgs(flags);
  const yes = parseServeArgs([...flags, "--lookup-secrets"]);
  assert.ok(def.ok && !("help" in def) && def.options.lookupSecrets === false);
  assert.ok(yes.ok && !("help" in yes) && yes.options.lookupSecrets === true);
});
