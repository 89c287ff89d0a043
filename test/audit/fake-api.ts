// A fake API server for the audit: lists with limit/continue pages, and get/create/replace/delete of custom objects
// (PolicyReports) kept in memory, with resourceVersion conflicts like the real one.
import { createServer, type IncomingMessage } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

export type Obj = Record<string, any>;

export interface FakeApi {
  kubeconfig: string;
  /** `group/version/plural` (core: `v1/plural`) -> objects. A plural that is absent answers 404 (CRD not installed). */
  store: Map<string, Obj[]>;
  /** Plurals answering 403. */
  forbidden: Set<string>;
  /** Every request: `METHOD path?query`. */
  requests: string[];
  /** Bodies of writes, in order. */
  writes: { method: string; path: string; body: Obj | undefined }[];
}

function body(req: IncomingMessage): Promise<Obj | undefined> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (c) => (text += c));
    req.on("end", () => resolve(text ? JSON.parse(text) : undefined));
  });
}

/** `group/version/plural`, namespace and name of a request path. */
function parsePath(path: string): { key: string; namespace?: string; name?: string } | undefined {
  const s = path.split("/").filter(Boolean);
  let gv: string;
  let rest: string[];
  if (s[0] === "api") [gv, rest] = [s[1]!, s.slice(2)];
  else if (s[0] === "apis") [gv, rest] = [`${s[1]}/${s[2]}`, s.slice(3)];
  else return undefined;
  if (rest[0] === "namespaces" && rest.length >= 3) return { key: `${gv}/${rest[2]}`, namespace: rest[1]!, ...(rest[3] ? { name: rest[3] } : {}) };
  return { key: `${gv}/${rest[0]}`, ...(rest[1] ? { name: rest[1] } : {}) };
}

function matches(o: Obj, namespace: string | undefined, labelSelector: string | null, fieldSelector: string | null): boolean {
  if (namespace !== undefined && o.metadata?.namespace !== namespace) return false;
  for (const term of (labelSelector ?? "").split(",").filter(Boolean)) {
    const [k, v] = term.split("=");
    if (o.metadata?.labels?.[k!] !== v) return false;
  }
  for (const term of (fieldSelector ?? "").split(",").filter(Boolean)) {
    const [k, v] = term.split("=");
    if (k === "metadata.name" && o.metadata?.name !== v) return false;
  }
  return true;
}

export async function withFakeApi(setup: (api: FakeApi) => void, fn: (api: FakeApi) => Promise<void>): Promise<void> {
  const api: FakeApi = { kubeconfig: "", store: new Map(), forbidden: new Set(), requests: [], writes: [] };
  setup(api);
  let version = 100;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    api.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (code: number, b: unknown) => res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(b));
    const status = (code: number, message: string) => send(code, { kind: "Status", apiVersion: "v1", status: "Failure", code, message });
    const p = parsePath(url.pathname);
    if (!p) return status(404, "no such path");
    const plural = p.key.split("/").pop()!;
    if (api.forbidden.has(plural)) return status(403, `${plural} is forbidden`);
    const items = api.store.get(p.key);
    if (!items) return status(404, "the server could not find the requested resource");
    const find = () => items.findIndex((o) => o.metadata?.name === p.name && (p.namespace === undefined || o.metadata?.namespace === p.namespace));
    if (req.method === "GET" && p.name === undefined) {
      const all = items.filter((o) => matches(o, p.namespace, url.searchParams.get("labelSelector"), url.searchParams.get("fieldSelector")));
      const limit = Number(url.searchParams.get("limit") ?? "0") || all.length;
      const start = Number(url.searchParams.get("continue") ?? "0");
      const page = all.slice(start, start + limit);
      const next = start + limit < all.length ? String(start + limit) : undefined;
      return send(200, { kind: "List", apiVersion: "v1", metadata: { resourceVersion: String(version), ...(next ? { continue: next } : {}) }, items: page });
    }
    const i = find();
    if (req.method === "GET") return i < 0 ? status(404, `${p.name} not found`) : send(200, items[i]);
    if (req.method === "DELETE") {
      if (i < 0) return status(404, `${p.name} not found`);
      items.splice(i, 1);
      api.writes.push({ method: "DELETE", path: url.pathname, body: undefined });
      return send(200, { kind: "Status", status: "Success" });
    }
    const b = await body(req);
    api.writes.push({ method: req.method!, path: url.pathname, body: b });
    if (req.method === "POST") {
      const name = b?.metadata?.name;
      if (items.some((o) => o.metadata?.name === name && o.metadata?.namespace === p.namespace)) return status(409, "already exists");
      const obj = { ...b, metadata: { ...b!.metadata, ...(p.namespace ? { namespace: p.namespace } : {}), resourceVersion: String(++version), uid: `uid-${version}` } };
      items.push(obj);
      return send(201, obj);
    }
    if (req.method === "PUT") {
      if (i < 0) return status(404, `${p.name} not found`);
      if (b?.metadata?.resourceVersion !== items[i]!.metadata.resourceVersion) return status(409, "the object has been modified");
      const obj = { ...b, metadata: { ...b!.metadata, resourceVersion: String(++version), uid: items[i]!.metadata.uid } };
      items[i] = obj;
      return send(200, obj);
    }
    return status(405, "method not allowed");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = mkdtempSync(join(tmpdir(), "pgbg-audit-"));
  api.kubeconfig = join(dir, "config");
  writeFileSync(
    api.kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true}}, {name: dead, cluster: {server: "http://127.0.0.1:1", insecure-skip-tls-verify: true}}]\n` +
      `users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}, {name: dead, context: {cluster: dead, user: u}}]\ncurrent-context: dead\n`,
  );
  try {
    await fn(api);
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
