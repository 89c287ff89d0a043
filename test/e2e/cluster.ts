// A real control plane on loopback for the e2e suite: etcd, kube-apiserver (RBAC, the two admission-webhook
// plugins), the operators' CRDs from ../shared/upstream, pg-backup-guard's own install rendered from deploy/
// with the webhooks pointed at https://127.0.0.1:PORT, and `pg-backup-guard serve --kubeconfig` running as
// deploy/'s ServiceAccount (so the real informers and the real RBAC are exercised).
//
// Everything runs from a temp dir that is removed on stop() (kept with PG_BACKUP_GUARD_E2E_KEEP=1).
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, stringify } from "yaml";
import { makeCerts, type CertFiles } from "./certs.ts";
import { registerTempDir, releaseTempDir, run, signalGroup, startProcess, tail, type Managed, type RunResult } from "./processes.ts";
import { missingToolMessage, toolPath, type ToolName } from "./tools.ts";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const upstreamDir = resolve(repoRoot, "..", "shared", "upstream");

/** Why the e2e suite cannot run here, or undefined when it can. */
export function skipReason(): string | undefined {
  if (!existsSync(upstreamDir)) return `../shared is absent (expected ${upstreamDir}): no operator CRDs to install`;
  for (const name of ["etcd", "kube-apiserver", "kubectl"] as ToolName[]) {
    if (toolPath(name) === undefined) return missingToolMessage(name);
  }
  if (process.platform !== "linux" && process.platform !== "darwin") return "needs a POSIX system (process groups)";
  return undefined;
}

/** The operators' CRDs the suite installs (test data from ../shared/upstream, never copied into the repo). */
export function upstreamCrdFiles(): string[] {
  const cnpg = join(upstreamDir, "cnpg");
  const snapshot = join(upstreamDir, "snapshot");
  return [
    ...readdirSync(cnpg).filter((f) => f.endsWith(".yaml")).map((f) => join(cnpg, f)),
    ...readdirSync(snapshot).filter((f) => f.startsWith("snapshot.storage.k8s.io_")).map((f) => join(snapshot, f)),
    join(upstreamDir, "cpo", "crds", "tutorials-chart", "postgresql.crd.yaml"),
    join(upstreamDir, "pgo", "postgres-operator.crunchydata.com_postgresclusters.yaml"),
  ];
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GET over HTTPS with the dev CA (and optionally a client certificate); status and body, or the error. */
function httpsGet(url: string, ca: string, client?: { cert: string; key: string }): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((done) => {
    const req = request(url, { ca, cert: client?.cert, key: client?.key, timeout: 3000 }, (res) => {
      let body = "";
      res.setEncoding("utf8").on("data", (d: string) => (body += d));
      res.on("end", () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) => done({ error: err.message }));
    req.end();
  });
}

async function waitFor(what: string, probe: () => Promise<string | true>, timeoutMs: number, proc?: Managed): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    const r = await probe();
    if (r === true) return;
    last = r;
    if (proc && (proc.child.exitCode !== null || proc.child.signalCode !== null)) {
      throw new Error(`${proc.name} exited (${proc.child.exitCode ?? proc.child.signalCode}) before ${what}:\n${tail(proc.log)}`);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})${proc ? `\n${tail(proc.log)}` : ""}`);
    await sleep(200);
  }
}

type Doc = Record<string, unknown> & { kind?: string; metadata?: { name?: string; namespace?: string } };

export function parseYamlDocs(text: string): Doc[] {
  return parseAllDocuments(text)
    .map((d) => d.toJSON() as Doc | null)
    .filter((d): d is Doc => d !== null && typeof d === "object");
}

/**
 * deploy/ rendered the way a user installs it: `kubectl kustomize deploy/overlays/self-signed`. Should it not
 * render (deploy/ once referenced ../crds outside base, which kustomize's load restrictor refuses), the
 * harness falls back to reading the base's resources itself and says so on stderr.
 */
export async function renderDeploy(kubectl: string): Promise<{ docs: Doc[]; how: string }> {
  const overlay = join(repoRoot, "deploy", "overlays", "self-signed");
  const r = await run(kubectl, ["kustomize", overlay], { timeoutMs: 60_000 });
  if (r.code === 0) return { docs: parseYamlDocs(r.stdout), how: "kubectl kustomize deploy/overlays/self-signed" };
  const base = join(repoRoot, "deploy", "base");
  const kustomization = parseYamlDocs(readFileSync(join(base, "kustomization.yaml"), "utf8"))[0] as { namespace?: string; resources?: string[] };
  const docs: Doc[] = [];
  for (const file of kustomization.resources ?? []) docs.push(...parseYamlDocs(readFileSync(join(base, file), "utf8")));
  for (const d of docs) {
    const clusterScoped = ["Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "BackupPolicy", "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"];
    if (d.metadata && !clusterScoped.includes(d.kind ?? "") && !d.metadata.namespace && kustomization.namespace) d.metadata.namespace = kustomization.namespace;
  }
  process.stderr.write(`e2e: deploy/overlays/self-signed does not render with kubectl kustomize; using deploy/base's resources directly\n${r.stderr.trim()}\n`);
  return { docs, how: "deploy/base resources read by the harness (kustomize failed)" };
}

/** Points every webhook of the configurations at the local server: url + the dev CA as caBundle. */
export function localWebhooks(docs: Doc[], port: number, caPem: string): Doc[] {
  const caBundle = Buffer.from(caPem).toString("base64");
  return docs.map((d) => {
    if (d.kind !== "ValidatingWebhookConfiguration" && d.kind !== "MutatingWebhookConfiguration") return d;
    const copy = structuredClone(d) as Doc & { webhooks?: Array<{ clientConfig?: { url?: string; service?: { path?: string } } }> };
    for (const w of copy.webhooks ?? []) {
      const cc = w.clientConfig ?? {};
      const path = cc.service?.path ?? (cc.url ? new URL(cc.url).pathname : d.kind === "MutatingWebhookConfiguration" ? "/mutate" : "/validate");
      w.clientConfig = { url: `https://127.0.0.1:${port}${path}`, caBundle } as typeof cc;
    }
    return copy;
  });
}

export interface StartOptions {
  /** extra `pg-backup-guard serve` flags */
  webhookArgs?: string[];
  /** how pg-backup-guard is installed: kubectl apply -k deploy/ (default) or helm install charts/pg-backup-guard */
  install?: "kustomize" | "helm";
}

export interface KubectlOptions {
  input?: string;
  /** impersonate (--as) */
  as?: string;
  asGroups?: string[];
  timeoutMs?: number;
}

export class Cluster {
  readonly dir: string;
  readonly kubectlPath: string;
  readonly adminKubeconfig: string;
  readonly webhookKubeconfig: string;
  certs!: CertFiles;
  etcdPort = 0;
  apiPort = 0;
  webhookPort = 0;
  etcd?: Managed;
  apiserver?: Managed;
  webhook?: Managed;
  /** The rendered deploy/ objects as applied (webhooks pointed at the local server). */
  deployDocs: Doc[] = [];
  deployHow = "";
  /** What `kubectl apply -k deploy/policy` answered right after that. */
  policyInstallResult?: RunResult;
  /** What `kubectl apply -k deploy/` answered on the fresh API server (before the webhooks were repointed). */
  installResult?: RunResult;
  private webhookArgs: string[] = [];
  private readonly started = Date.now();

  private constructor() {
    this.dir = mkdtempSync(join(tmpdir(), "pg-backup-guard-e2e-"));
    registerTempDir(this.dir);
    this.kubectlPath = toolPath("kubectl")!;
    this.adminKubeconfig = join(this.dir, "admin.kubeconfig");
    this.webhookKubeconfig = join(this.dir, "webhook.kubeconfig");
  }

  get apiUrl(): string {
    return `https://127.0.0.1:${this.apiPort}`;
  }

  /** Starts everything; on any failure stops what was started and rethrows. */
  static async start(options: StartOptions = {}): Promise<Cluster> {
    const c = new Cluster();
    try {
      await c.boot(options.webhookArgs ?? [], options.install ?? "kustomize");
    } catch (err) {
      await c.stop(true);
      throw err;
    }
    return c;
  }

  private log(message: string): void {
    process.stderr.write(`e2e: ${message} (+${((Date.now() - this.started) / 1000).toFixed(1)} s)\n`);
  }

  private async boot(webhookArgs: string[], install: "kustomize" | "helm"): Promise<void> {
    this.certs = await makeCerts(this.dir);
    [this.etcdPort, this.apiPort, this.webhookPort] = [await freePort(), await freePort(), await freePort()];
    await this.startEtcd();
    await this.startApiServer();
    this.writeKubeconfig(this.adminKubeconfig, { "client-certificate": this.certs.adminCert, "client-key": this.certs.adminKey });
    this.log(`kube-apiserver ready at ${this.apiUrl}`);

    await this.kubectlOk(["apply", "--server-side", ...upstreamCrdFiles().flatMap((f) => ["-f", f])], { timeoutMs: 120_000 });
    await this.kubectlOk(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"], { timeoutMs: 70_000 });
    this.log("operator CRDs established");

    if (install === "helm") await this.installWithHelm();
    else await this.installWithKustomize();

    const sa = this.deployDocs.find((d) => d.kind === "ServiceAccount");
    const saName = sa?.metadata?.name ?? "pg-backup-guard";
    const saNamespace = sa?.metadata?.namespace ?? "pg-backup-guard";
    const token = (await this.kubectlOk(["create", "token", saName, "-n", saNamespace, "--duration=6h"])).stdout.trim();
    this.writeKubeconfig(this.webhookKubeconfig, { token });
    this.webhookArgs = webhookArgs;
    await this.startWebhook();
    await this.waitForAdmission();
    this.log("webhook serving through the API server");
  }

  /**
   * `helm install` of charts/pg-backup-guard with the webhooks pointed at the local server (webhooks.url,
   * tls.mode=secret with the dev CA as caBundle); the installed objects are read back with `helm get manifest`.
   */
  private async installWithHelm(): Promise<void> {
    const helm = toolPath("helm")!;
    const caBundle = Buffer.from(readFileSync(this.certs.caCert, "utf8")).toString("base64");
    const env = { ...process.env, KUBECONFIG: this.adminKubeconfig, HELM_CACHE_HOME: join(this.dir, "helm", "cache"), HELM_CONFIG_HOME: join(this.dir, "helm", "config"), HELM_DATA_HOME: join(this.dir, "helm", "data") };
    const ns = "pg-backup-guard";
    this.installResult = await run(helm, [
      "install", "pg-backup-guard", join(repoRoot, "charts", "pg-backup-guard"), "--namespace", ns, "--create-namespace",
      "--set", `webhooks.url=https://127.0.0.1:${this.webhookPort}`, "--set", "tls.mode=secret", "--set", `tls.caBundle=${caBundle}`,
    ], { env, timeoutMs: 180_000 });
    if (this.installResult.code !== 0) throw new Error(`helm install failed (${this.installResult.code}):\n${this.installResult.stdout}${this.installResult.stderr}`);
    const manifest = await run(helm, ["get", "manifest", "pg-backup-guard", "--namespace", ns], { env, timeoutMs: 60_000 });
    if (manifest.code !== 0) throw new Error(`helm get manifest failed:\n${manifest.stderr}`);
    this.deployDocs = parseYamlDocs(manifest.stdout);
    this.deployHow = "helm install charts/pg-backup-guard";
    this.log(`installed with helm, webhooks at https://127.0.0.1:${this.webhookPort}`);
  }

  /** Installs pg-backup-guard the way the README says: kubectl apply -k deploy/ (the result is kept for a test). */
  private async installWithKustomize(): Promise<void> {
    const rendered = await renderDeploy(this.kubectlPath);
    this.deployHow = rendered.how;
    this.installResult = await this.kubectl(["apply", "-k", join(repoRoot, "deploy")], { timeoutMs: 120_000 });
    if (this.installResult.code !== 0) {
      this.log(`kubectl apply -k deploy/ failed (${this.installResult.code}); installing the rendered objects in two steps`);
      const crds = rendered.docs.filter((d) => d.kind === "CustomResourceDefinition");
      await this.kubectlOk(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: crds.map((d) => stringify(d)).join("---\n") });
      await this.kubectlOk(["wait", "--for=condition=Established", "crd", "--all", "--timeout=60s"], { timeoutMs: 70_000 });
      const rest = rendered.docs.filter((d) => d.kind !== "CustomResourceDefinition");
      await this.kubectlOk(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: rest.map((d) => stringify(d)).join("---\n") });
    }
    // The default BackupPolicy, as docs/webhook.md says: once its CRD is established.
    await this.kubectlOk(["wait", "--for=condition=Established", "crd/backuppolicies.pgbackupguard.io", "--timeout=60s"], { timeoutMs: 70_000 });
    this.policyInstallResult = await this.kubectl(["apply", "-k", join(repoRoot, "deploy", "policy")], { timeoutMs: 60_000 });
    // No Pods run here (no scheduler, no kubelet): the webhooks are pointed at the local server instead.
    this.deployDocs = localWebhooks(rendered.docs, this.webhookPort, readFileSync(this.certs.caCert, "utf8"));
    await this.replaceWebhookConfigurations();
    this.log(`installed deploy/ (${this.deployHow}), webhooks at https://127.0.0.1:${this.webhookPort}`);
  }

  /** (Re)creates the webhook configurations exactly as rendered from deploy/, pointed at the local server. */
  async replaceWebhookConfigurations(): Promise<void> {
    const hooks = this.deployDocs.filter((d) => d.kind === "ValidatingWebhookConfiguration" || d.kind === "MutatingWebhookConfiguration");
    for (const h of hooks) {
      await this.kubectlOk(["delete", h.kind!, h.metadata!.name!, "--ignore-not-found"]);
    }
    await this.kubectlOk(["create", "-f", "-"], { input: hooks.map((d) => stringify(d)).join("---\n") });
  }

  private writeKubeconfig(file: string, user: Record<string, string>): void {
    const config = {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "e2e", cluster: { server: this.apiUrl, "certificate-authority": this.certs.caCert } }],
      users: [{ name: "e2e", user }],
      contexts: [{ name: "e2e", context: { cluster: "e2e", user: "e2e" } }],
      "current-context": "e2e",
    };
    writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  }

  private async startEtcd(): Promise<void> {
    const peer = await freePort();
    const client = `http://127.0.0.1:${this.etcdPort}`;
    this.etcd = startProcess("etcd", toolPath("etcd")!, [
      "--name=e2e",
      `--data-dir=${join(this.dir, "etcd")}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
      `--initial-cluster=e2e=http://127.0.0.1:${peer}`,
      "--unsafe-no-fsync",
      "--log-level=warn",
    ], join(this.dir, "etcd.log"), undefined, this.dir);
    await waitFor("etcd /health", async () => {
      try {
        const res = await fetch(`${client}/health`);
        const body = await res.text();
        return res.ok && body.includes('"true"') ? true : `${res.status} ${body}`;
      } catch (err) {
        return (err as Error).message;
      }
    }, 30_000, this.etcd);
  }

  private apiServerArgs(): string[] {
    const c = this.certs;
    return [
      `--etcd-servers=http://127.0.0.1:${this.etcdPort}`,
      "--bind-address=127.0.0.1",
      "--advertise-address=127.0.0.1",
      `--secure-port=${this.apiPort}`,
      `--cert-dir=${join(this.dir, "apiserver-certs")}`,
      `--tls-cert-file=${c.apiserverCert}`,
      `--tls-private-key-file=${c.apiserverKey}`,
      `--client-ca-file=${c.caCert}`,
      `--service-account-issuer=https://kubernetes.default.svc`,
      `--service-account-key-file=${c.saPub}`,
      `--service-account-signing-key-file=${c.saKey}`,
      "--service-cluster-ip-range=10.0.0.0/24",
      "--authorization-mode=RBAC",
      "--enable-admission-plugins=MutatingAdmissionWebhook,ValidatingAdmissionWebhook",
      "--endpoint-reconciler-type=none",
      "--profiling=false",
    ];
  }

  async startApiServer(): Promise<void> {
    const ca = readFileSync(this.certs.caCert, "utf8");
    const client = { cert: readFileSync(this.certs.adminCert, "utf8"), key: readFileSync(this.certs.adminKey, "utf8") };
    this.apiserver = startProcess("kube-apiserver", toolPath("kube-apiserver")!, this.apiServerArgs(), join(this.dir, "kube-apiserver.log"));
    await waitFor("kube-apiserver /readyz", async () => {
      const r = await httpsGet(`${this.apiUrl}/readyz`, ca, client);
      return "status" in r && r.status === 200 ? true : "status" in r ? `${r.status} ${r.body.slice(0, 200)}` : r.error;
    }, 120_000, this.apiserver);
  }

  async stopApiServer(): Promise<void> {
    await this.apiserver?.stop(10_000);
    this.apiserver = undefined;
  }

  async startWebhook(extraArgs: string[] = []): Promise<void> {
    const args = [
      join(repoRoot, "test", "e2e", "pg-backup-guard.ts"),
      "serve",
      `--tls-cert=${this.certs.webhookCert}`,
      `--tls-key=${this.certs.webhookKey}`,
      "--host=127.0.0.1",
      `--port=${this.webhookPort}`,
      `--kubeconfig=${this.webhookKubeconfig}`,
      "--shutdown-delay=0",
      "--shutdown-timeout=2",
      ...this.webhookArgs,
      ...extraArgs,
    ];
    this.webhook = startProcess("pg-backup-guard serve", process.execPath, args, join(this.dir, "webhook.log"), {
      ...process.env,
      NODE_ENV: "production",
    });
    await this.waitWebhookReady();
  }

  async waitWebhookReady(timeoutMs = 60_000): Promise<void> {
    const ca = readFileSync(this.certs.caCert, "utf8");
    await waitFor("pg-backup-guard /readyz", async () => {
      const r = await httpsGet(`https://127.0.0.1:${this.webhookPort}/readyz`, ca);
      return "status" in r && r.status === 200 ? true : "status" in r ? `${r.status} ${r.body.slice(0, 200)}` : r.error;
    }, timeoutMs, this.webhook);
  }

  /** The webhook's /readyz answer (status and body), or the connection error. */
  async webhookReadyz(): Promise<{ status: number; body: string } | { error: string }> {
    return httpsGet(`https://127.0.0.1:${this.webhookPort}/readyz`, readFileSync(this.certs.caCert, "utf8"));
  }

  /** The webhook's /metrics text. */
  async webhookMetrics(): Promise<string> {
    const r = await httpsGet(`https://127.0.0.1:${this.webhookPort}/metrics`, readFileSync(this.certs.caCert, "utf8"));
    if ("error" in r) throw new Error(`GET /metrics: ${r.error}`);
    return r.body;
  }

  async stopWebhook(): Promise<void> {
    await this.webhook?.stop(5000);
    this.webhook = undefined;
  }

  freezeWebhook(): void {
    if (this.webhook) signalGroup(this.webhook, "SIGSTOP");
  }

  thawWebhook(): void {
    if (this.webhook) signalGroup(this.webhook, "SIGCONT");
  }

  webhookLog(): string {
    return this.webhook ? readFileSync(this.webhook.log, "utf8") : existsSync(join(this.dir, "webhook.log")) ? readFileSync(join(this.dir, "webhook.log"), "utf8") : "";
  }

  /**
   * Waits until the API server calls our webhooks (it picks up new webhook configurations asynchronously):
   * a server-side dry run of a Cluster without backups must be denied with our message.
   */
  async waitForAdmission(timeoutMs = 30_000): Promise<void> {
    const probe = stringify({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: "e2e-probe", namespace: "default" },
      spec: { instances: 1, storage: { size: "1Gi" } },
    });
    await waitFor("the API server to call the validating webhook", async () => {
      const r = await this.kubectl(["apply", "--dry-run=server", "-f", "-"], { input: probe });
      return r.code !== 0 && r.stderr.includes("pg-backup-guard denied") ? true : `${r.code} ${r.stdout}${r.stderr}`.trim();
    }, timeoutMs, this.webhook);
  }

  /** kubectl as the cluster admin (system:masters), or impersonating a user with --as. */
  kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<RunResult> {
    const all = [`--kubeconfig=${this.adminKubeconfig}`, ...args];
    if (options.as) all.push(`--as=${options.as}`);
    for (const g of options.asGroups ?? []) all.push(`--as-group=${g}`);
    const env = { ...process.env, KUBECONFIG: this.adminKubeconfig, NO_PROXY: "127.0.0.1,localhost", no_proxy: "127.0.0.1,localhost" };
    return run(this.kubectlPath, all, { input: options.input, env, timeoutMs: options.timeoutMs ?? 60_000 });
  }

  /** kubectl that must succeed; throws with its output otherwise. */
  async kubectlOk(args: readonly string[], options: KubectlOptions = {}): Promise<RunResult> {
    const r = await this.kubectl(args, options);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stdout}${r.stderr}`);
    return r;
  }

  /** Stops the webhook, the API server and etcd (in that order) and removes the temp dir. */
  async stop(failed = false): Promise<void> {
    await this.stopWebhook().catch(() => {});
    await this.stopApiServer().catch(() => {});
    await this.etcd?.stop(5000).catch(() => {});
    this.etcd = undefined;
    releaseTempDir(this.dir);
    if (process.env.PG_BACKUP_GUARD_E2E_KEEP === "1" || failed) {
      process.stderr.write(`e2e: logs and data kept in ${this.dir}\n`);
    } else {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }
}
