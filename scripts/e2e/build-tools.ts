// Builds the e2e tools from their Go modules (scripts/e2e/go/*) into the cache, keyed by version:
//   <cache>/kubernetes-v1.36.3/bin/{kube-apiserver,kubectl}, <cache>/etcd-v3.6.x/bin/etcd,
//   <cache>/helm-v4.3.2/bin/helm   (cache: ~/.cache/pg-backup-guard-e2e, see scripts/e2e/versions.ts)
// A module whose binaries are all present is reused. Prints one timing line per module and a total.
// Needs Go (>= the go line of the modules) on PATH or in /usr/local/go/bin; modules come from GOPROXY.
//
// Usage: node scripts/e2e/build-tools.ts [--force] [kubernetes|etcd|helm ...]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { GO_DIR, TOOL_MODULES, binDir, pinnedVersion, type ToolModule, type ToolName } from "./versions.ts";

function findGo(): string {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/local/go/bin"]) {
    if (dir !== "" && existsSync(join(dir, "go"))) return join(dir, "go");
  }
  console.error("build-tools: no `go` on PATH or in /usr/local/go/bin");
  process.exit(2);
}

function seconds(since: bigint): string {
  return `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;
}

/** -ldflags for one module, so that the binaries report their real version (kubectl version parses it). */
function ldflags(go: string, tool: ToolModule, version: string): string {
  const flags = ["-s", "-w"];
  if (tool.dir === "kubernetes") {
    const info = JSON.parse(
      execFileSync(go, ["list", "-m", "-json", tool.module], { cwd: join(GO_DIR, tool.dir), encoding: "utf8" }),
    ) as { Time?: string };
    const m = /^v(\d+)\.(\d+)\./.exec(version);
    const vars: Record<string, string> = {
      gitVersion: version,
      gitMajor: m?.[1] ?? "",
      gitMinor: m?.[2] ?? "",
      gitTreeState: "clean",
      buildDate: (info.Time ?? "1970-01-01T00:00:00Z").replace(/\.\d+Z$/, "Z"),
    };
    for (const [key, value] of Object.entries(vars)) {
      flags.push(`-X=k8s.io/component-base/version.${key}=${value}`, `-X=k8s.io/client-go/pkg/version.${key}=${value}`);
    }
  } else if (tool.dir === "helm") {
    flags.push(`-X=helm.sh/helm/v4/internal/version.version=${version}`, "-X=helm.sh/helm/v4/internal/version.gitTreeState=clean");
  } else if (tool.dir === "etcd") {
    // etcd's version is a constant in go.etcd.io/etcd/api/v3/version: nothing to set.
  }
  return flags.join(" ");
}

function build(go: string, tool: ToolModule, force: boolean): void {
  const version = pinnedVersion(tool);
  const bin = binDir(tool);
  const names = Object.keys(tool.binaries) as ToolName[];
  const label = `${tool.module}@${version} (${names.join(", ")})`;
  if (!force && names.every((n) => existsSync(join(bin, n)))) {
    console.log(`build-tools: reuse ${label} from ${bin}`);
    return;
  }
  const started = process.hrtime.bigint();
  console.log(`build-tools: building ${label} ...`);
  const tmp = `${bin}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const flags = ldflags(go, tool, version);
  for (const name of names) {
    const pkg = tool.binaries[name]!;
    const one = process.hrtime.bigint();
    const result = spawnSync(go, ["build", "-trimpath", "-ldflags", flags, "-o", join(tmp, name), pkg], {
      cwd: join(GO_DIR, tool.dir),
      stdio: "inherit",
      env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: [process.env.GOFLAGS, "-mod=readonly", "-buildvcs=false"].filter(Boolean).join(" ") },
    });
    if (result.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      console.error(`build-tools: go build ${pkg} failed (${result.status ?? result.signal})`);
      process.exit(1);
    }
    const mb = (statSync(join(tmp, name)).size / 1e6).toFixed(0);
    console.log(`build-tools:   ${name}: ${seconds(one)} (${mb} MB)`);
  }
  mkdirSync(dirname(bin), { recursive: true });
  rmSync(bin, { recursive: true, force: true });
  renameSync(tmp, bin);
  console.log(`build-tools: built ${label} in ${seconds(started)} → ${bin}`);
}

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help")) {
  console.log("Usage: node scripts/e2e/build-tools.ts [--force] [kubernetes|etcd|helm ...]");
  process.exit(0);
}
const force = args.includes("--force");
const only = args.filter((a) => !a.startsWith("-"));
for (const name of only) {
  if (!TOOL_MODULES.some((t) => t.dir === name)) {
    console.error(`build-tools: unknown module ${name} (kubernetes, etcd, helm)`);
    process.exit(2);
  }
}
const go = findGo();
const started = process.hrtime.bigint();
for (const tool of TOOL_MODULES) {
  if (only.length === 0 || only.includes(tool.dir)) build(go, tool, force);
}
console.log(`build-tools: total ${seconds(started)}`);
