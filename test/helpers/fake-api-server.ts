// A plain-HTTP stand-in for the API server, driven by the test's request handler, and a kubeconfig pointing at it.
import { createServer, type RequestListener } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

/** A kubeconfig (one cluster, a token user, current context) for `server`; http:// needs insecure-skip-tls-verify. */
export function kubeconfigText(server: string): string {
  return `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`;
}

/**
 * Runs `fn` with the path of a kubeconfig for a loopback server answering with `handler`, then closes every
 * connection (open watches included) and removes the kubeconfig.
 */
export async function withFakeApiServer(handler: RequestListener, fn: (kubeconfig: string) => Promise<void>): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const dir = mkdtempSync(join(tmpdir(), "pgbg-fake-api-"));
  try {
    const kubeconfig = join(dir, "config");
    writeFileSync(kubeconfig, kubeconfigText(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
    await fn(kubeconfig);
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
