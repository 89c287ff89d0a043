// certs/make-dev-certs.sh: the certificate it makes works (openssl checks it), it needs no cluster with
// --no-apply, and it changes no file unless every step succeeded. Every run here passes --out and --patch, so
// the tracked deploy/overlays/self-signed/cabundle.patch.yaml is never touched.
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "../helpers/shared.ts";

const SCRIPT = join(repoRoot, "certs", "make-dev-certs.sh");
const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;
const skip = hasOpenssl ? {} : { skip: "openssl is not installed (apt-get install openssl)" };

let work: string;
let stubDir: string;
/** A kubectl stand-in: logs its arguments to $KUBECTL_LOG; fails when $KUBECTL_FAIL matches a subcommand. */
const STUB = `#!/usr/bin/env bash
echo "$*" >> "$KUBECTL_LOG"
if [[ -n "\${KUBECTL_FAIL:-}" && "$*" == *"$KUBECTL_FAIL"* ]]; then echo "stub kubectl: refused" >&2; exit 1; fi
if [[ "$*" == *"--dry-run=client -o yaml"* ]]; then echo "kind: Secret"; fi
if [[ "$*" == "apply -f -" ]]; then cat > /dev/null; fi
exit 0
`;

function runScript(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync("bash", [SCRIPT, ...args], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${stubDir}${delimiter}${process.env.PATH}`, KUBECTL_LOG: join(work, "kubectl.log"), ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
function openssl(args: string[], input?: string): string {
  const result = spawnSync("openssl", args, { encoding: "utf8", input });
  assert.equal(result.status, 0, `openssl ${args.join(" ")}: ${result.stderr}`);
  return result.stdout;
}
const kubectlCalls = () => (existsSync(join(work, "kubectl.log")) ? readFileSync(join(work, "kubectl.log"), "utf8").trim().split("\n").filter(Boolean) : []);
const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));

describe("certs/make-dev-certs.sh", skip, () => {
  before(() => {
    work = mkdtempSync(join(tmpdir(), "pgbg-certs-"));
    stubDir = join(work, "stub-bin");
    mkdirSync(stubDir);
    writeFileSync(join(stubDir, "kubectl"), STUB);
    chmodSync(join(stubDir, "kubectl"), 0o755);
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it("--help prints the options and exits 0", () => {
    const { code, stdout } = runScript(["--help"]);
    assert.equal(code, 0);
    for (const option of ["--host", "--no-apply", "--out", "--patch", "--no-patch", "--namespace", "--service", "--days"]) assert.match(stdout, new RegExp(`^  ${option}`, "m"));
  });

  it("refuses unknown arguments, missing values and bad numbers with exit 2", () => {
    assert.equal(runScript(["--frobnicate"]).code, 2);
    assert.match(runScript(["--out"]).stderr, /--out needs a value/);
    assert.match(runScript(["--days", "ten", "--no-apply"]).stderr, /--days must be a whole number/);
    assert.match(runScript(["--host", "bad host!", "--no-apply"]).stderr, /not an IP address or a DNS name/);
  });

  it("--no-apply makes a CA and a serving certificate for the Service and the local names, without kubectl", () => {
    const out = join(work, "out");
    const patch = join(work, "cabundle.patch.yaml");
    const { code, stderr } = runScript(["--no-apply", "--out", out, "--patch", patch, "--host", "127.0.0.1", "--host", "localhost", "--host", "::1"]);
    assert.equal(code, 0, stderr);
    assert.deepEqual(kubectlCalls(), [], "kubectl was called with --no-apply");
    assert.deepEqual(readdirSync(out).sort(), ["ca.crt", "ca.key", "tls.crt", "tls.key"], "no temporary files are left");
    assert.match(openssl(["verify", "-CAfile", join(out, "ca.crt"), join(out, "tls.crt")]), /OK/);
    const sans = openssl(["x509", "-in", join(out, "tls.crt"), "-noout", "-ext", "subjectAltName"]);
    for (const name of ["DNS:pg-backup-guard.pg-backup-guard.svc", "DNS:pg-backup-guard.pg-backup-guard.svc.cluster.local", "IP Address:127.0.0.1", "DNS:localhost", "IP Address:0:0:0:0:0:0:0:1"])
      assert.ok(sans.includes(name), `${name} not in ${sans}`);
    assert.match(openssl(["x509", "-in", join(out, "tls.crt"), "-noout", "-ext", "extendedKeyUsage"]), /TLS Web Server Authentication/);
    // The key belongs to the certificate.
    const certKey = openssl(["x509", "-in", join(out, "tls.crt"), "-noout", "-pubkey"]);
    assert.equal(openssl(["pkey", "-in", join(out, "tls.key"), "-pubout"]), certKey);
    for (const key of ["ca.key", "tls.key"]) assert.equal(statSync(join(out, key)).mode & 0o077, 0, `${key} is readable by others`);
    // The patch carries the CA.
    const ops = parse(readFileSync(patch, "utf8")) as { op: string; path: string; value: string }[];
    assert.deepEqual(ops.map((o) => [o.op, o.path]), [["replace", "/webhooks/0/clientConfig/caBundle"]]);
    assert.equal(Buffer.from(ops[0]!.value, "base64").toString("utf8"), readFileSync(join(out, "ca.crt"), "utf8"));
  });

  it("a re-run keeps the CA and rotates the serving certificate", () => {
    const out = join(work, "out");
    const before = snapshot(out);
    const { code, stderr } = runScript(["--no-apply", "--out", out, "--no-patch"]);
    assert.equal(code, 0, stderr);
    const now = snapshot(out);
    assert.equal(now["ca.crt"], before["ca.crt"]);
    assert.equal(now["ca.key"], before["ca.key"]);
    assert.notEqual(now["tls.crt"], before["tls.crt"]);
    assert.match(openssl(["verify", "-CAfile", join(out, "ca.crt"), join(out, "tls.crt")]), /OK/);
  });

  it("changes no file when creating the Secret fails", () => {
    const out = join(work, "out");
    const patch = join(work, "cabundle.patch.yaml");
    const before = { out: snapshot(out), patch: readFileSync(patch, "utf8") };
    const { code, stderr } = runScript(["--out", out, "--patch", patch], { KUBECTL_FAIL: "apply" });
    assert.equal(code, 2);
    assert.match(stderr, /could not apply Secret pg-backup-guard\/pg-backup-guard-tls; nothing was written/);
    assert.deepEqual(snapshot(out), before.out);
    assert.equal(readFileSync(patch, "utf8"), before.patch);
    assert.deepEqual(readdirSync(work).filter((f) => f.startsWith(".")), [], "a temporary patch file is left");
  });

  it("with a cluster: applies the Secret, then writes the files", () => {
    rmSync(join(work, "kubectl.log"), { force: true });
    const out = join(work, "fresh");
    const patch = join(work, "fresh.patch.yaml");
    const { code, stdout, stderr } = runScript(["--out", out, "--patch", patch, "--namespace", "guard", "--secret", "guard-tls"], { KUBECTL_FAIL: "get namespace" });
    assert.equal(code, 0, stderr);
    // The last two run as one pipeline, so they log in either order.
    const calls = kubectlCalls();
    assert.deepEqual(calls.slice(0, 2), ["get namespace guard", "create namespace guard"]);
    assert.equal(calls.length, 4);
    assert.ok(calls.includes("apply -f -"), calls.join("\n"));
    assert.ok(
      calls.some((c) => /^-n guard create secret tls guard-tls --cert=\S+\/tls\.crt --key=\S+\/tls\.key --dry-run=client -o yaml$/.test(c)),
      calls.join("\n"),
    );
    assert.match(stdout, /applied Secret guard\/guard-tls/);
    assert.ok(existsSync(join(out, "tls.crt")) && existsSync(patch));
    const sans = openssl(["x509", "-in", join(out, "tls.crt"), "-noout", "-ext", "subjectAltName"]);
    assert.match(sans, /DNS:pg-backup-guard\.guard\.svc/);
  });
});
