// Certificates for the local control plane, made with openssl: one throw-away CA signs the API server's and
// the webhook's serving certificates (SANs 127.0.0.1 and localhost) and the admin client certificate
// (O=system:masters); plus the service-account key pair that signs ServiceAccount tokens.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./processes.ts";

export interface CertFiles {
  caCert: string;
  caKey: string;
  apiserverCert: string;
  apiserverKey: string;
  webhookCert: string;
  webhookKey: string;
  adminCert: string;
  adminKey: string;
  saKey: string;
  saPub: string;
}

async function openssl(args: string[]): Promise<void> {
  const r = await run("openssl", args, { timeoutMs: 30_000 });
  if (r.code !== 0) throw new Error(`openssl ${args.slice(0, 2).join(" ")} failed: ${r.stderr.trim()}`);
}

async function leaf(dir: string, name: string, subject: string, ext: string[], ca: { cert: string; key: string }): Promise<[string, string]> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const cnf = join(dir, `${name}.ext`);
  writeFileSync(cnf, `${ext.join("\n")}\n`);
  await openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", csr, "-subj", subject]);
  await openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", cert, "-days", "2", "-extfile", cnf]);
  return [cert, key];
}

export async function makeCerts(dir: string): Promise<CertFiles> {
  const caCert = join(dir, "ca.crt");
  const caKey = join(dir, "ca.key");
  await openssl([
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", caKey, "-out", caCert, "-days", "2", "-subj", "/CN=pg-backup-guard e2e CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const ca = { cert: caCert, key: caKey };
  const serving = (sans: string) => [
    "basicConstraints=critical,CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    `subjectAltName=${sans}`,
  ];
  const [apiserverCert, apiserverKey] = await leaf(
    dir, "apiserver", "/CN=kube-apiserver",
    serving("IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,IP:10.0.0.1"), ca,
  );
  const [webhookCert, webhookKey] = await leaf(dir, "webhook", "/CN=pg-backup-guard", serving("IP:127.0.0.1,DNS:localhost"), ca);
  const [adminCert, adminKey] = await leaf(
    dir, "admin", "/O=system:masters/CN=e2e-admin",
    ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=clientAuth"], ca,
  );
  const saKey = join(dir, "sa.key");
  const saPub = join(dir, "sa.pub");
  await openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", saKey]);
  await openssl(["pkey", "-in", saKey, "-pubout", "-out", saPub]);
  return { caCert, caKey, apiserverCert, apiserverKey, webhookCert, webhookKey, adminCert, adminKey, saKey, saPub };
}
