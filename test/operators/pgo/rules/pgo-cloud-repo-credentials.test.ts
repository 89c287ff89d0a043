import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/cloud-repo-credentials.ts";
import { R, cluster, good, s3Repo, volumeRepo } from "../fixtures.ts";

const noCreds = (repos: unknown[], global: Record<string, unknown> = {}) => cluster({ pgbackrest: { global, repos } });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "IAM role", resource: noCreds([s3Repo(1)], { "repo1-s3-key-type": "web-id" }) },
    { name: "volume only", resource: noCreds([volumeRepo(1)]) },
    { name: "gcs workload identity", resource: noCreds([{ name: "repo1", gcs: { bucket: "b" } }], { "repo1-gcs-key-type": "auto" }) },
  ],
  invalid: [
    { name: "s3 without credentials", resource: noCreds([s3Repo(1)]), problems: [{ path: `${R}[0]`, message: "blocks the CronJobs of every repo" }] },
    { name: "azure second repo", resource: noCreds([volumeRepo(1), { name: "repo2", azure: { container: "c" } }]), problems: [{ path: `${R}[1]`, message: "repo2-azure-key-type" }] },
    { name: "empty configuration", resource: cluster({ pgbackrest: { configuration: [], repos: [s3Repo(1)] } }), problems: [{}] },
  ],
});
