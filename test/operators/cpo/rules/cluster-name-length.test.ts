// cpo-cluster-name-length: names over 33 characters make the backup CronJob names collide.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/cluster-name-length.ts";
import { backup, cluster, good, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "33 characters", resource: { ...good(), metadata: { name: "a".repeat(33) } } },
    { name: "no name (generateName)", resource: { ...good(), metadata: { generateName: "x-" } } },
    { name: "realistic", resource: SHOP },
    { name: "realistic: name from a Flux placeholder", resource: WIKI },
    {
      // The real name is known only after Flux substitutes it: the written 37 characters say nothing.
      name: "realistic: a placeholder name longer than 33 as written", notChecked: true,
      resource: edit(SHOP, ({ r }) => {
        r.metadata.name = "${APP_NAME}-${ENVIRONMENT}-postgresql";
      }),
    },
  ],
  invalid: [
    {
      name: "35 characters",
      resource: { ...good(), metadata: { name: "orders-service-production-primarydb" } },
      problems: [{ path: "metadata.name", message: "35 characters" }],
    },
    {
      name: "34 characters: cut at 52, trailing '-' trimmed, full+incr leave no CronJob",
      resource: { ...good(), metadata: { name: "a".repeat(34) } },
      problems: [{ message: `"pgbackrest-${"a".repeat(34)}-repo1"` }],
    },
    {
      name: "full+incr on one repo: the missing diff deletes the shared job",
      resource: { ...good(), metadata: { name: "a".repeat(34) } },
      problems: [{ message: "no backup CronJob is left at all (repo1 full and repo1 incr configured)" }],
    },
    {
      name: "full+incr+diff: only the diff survives",
      resource: { ...cluster(backup([s3Repo(1, { full: "30 2 * * *", incr: "0 * * * *", diff: "0 12 * * *" })])), metadata: { name: "a".repeat(35) } },
      problems: [{ message: "only repo1 diff keeps a CronJob; repo1 full and repo1 incr never run" }],
    },
    {
      name: "36 characters: all repos share one name",
      resource: { ...cluster(backup([s3Repo(1), s3Repo(2)])), metadata: { name: "b".repeat(36) } },
      problems: [{ message: `the full, incr and diff jobs of all four repos get the same name "pgbackrest-${"b".repeat(36)}-repo"` }],
    },
    {
      name: "36 characters: even a diff on each repo leaves only repo4's",
      resource: {
        ...cluster(backup([1, 2, 3, 4].map((n) => s3Repo(n, { full: "30 2 * * *", diff: "0 12 * * *" })))),
        metadata: { name: "b".repeat(36) },
      },
      problems: [{ message: "only repo4 diff keeps a CronJob" }],
    },
    { name: "no backup configured yet", resource: { ...cluster(), metadata: { name: "c".repeat(40) } }, problems: [{ message: "once schedules are configured" }] },
    {
      name: "realistic: 35 characters, two repos: only repo2's diff job survives",
      resource: edit(KEYCLOAK, ({ r }) => {
        r.metadata.name = "keycloak-identity-provider-postgres";
      }),
      problems: [{ path: "metadata.name", message: "only repo2 diff keeps a CronJob; repo1 full, repo1 incr and repo2 full never run" }],
    },
  ],
});
