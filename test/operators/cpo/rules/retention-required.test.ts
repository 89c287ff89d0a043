// cpo-retention-required: global must set repoN-retention-full (a quoted whole number) for every repo.
import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/cpo/rules/retention-required.ts";
import { backup, cluster, good, pvcRepo, s3Repo } from "./fixtures.ts";
import { KEYCLOAK, SHOP, WIKI, edit } from "./manifests.ts";

const G = "spec.backup.pgbackrest.global";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "time type", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "14", "repo1-retention-full-type": "time" })) },
    { name: "no pgbackrest", resource: cluster() },
    { name: "repos null", resource: cluster(backup(null, {})) },
    {
      name: "min count met",
      resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7" })),
      params: { minFullCount: 7 },
    },
    { name: "realistic: count and time retention", resource: SHOP },
    { name: "realistic: pvc + s3", resource: KEYCLOAK },
    { name: "realistic: retention without a type (count)", resource: WIKI },
    {
      name: "realistic: the count from a Flux placeholder (known only after substitution)", notChecked: true,
      resource: edit(SHOP, ({ global }) => {
        global["repo1-retention-full"] = "${RETENTION_FULL}";
      }),
    },
  ],
  invalid: [
    { name: "no global", resource: cluster(backup([s3Repo(1)], null)), problems: [{ path: G, message: "repo1-retention-full: '7'" }] },
    {
      name: "second repo lacks it",
      resource: cluster(backup([s3Repo(1), pvcRepo(2)], { "repo1-retention-full": "7" })),
      problems: [{ path: G, message: "repo2-retention-full" }],
    },
    { name: "number value", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": 7 })), problems: [{ path: `${G}.repo1-retention-full`, message: "Quote it" }] },
    { name: "not a number", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "seven" })), problems: [{ message: "not a whole number" }] },
    { name: "bad type", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7", "repo1-retention-full-type": "days" })), problems: [{ path: `${G}.repo1-retention-full-type` }] },
    { name: "global a string", resource: cluster(backup([s3Repo(1)], "repo1-retention-full=7")), problems: [{ path: G, message: "not a map" }] },
    { name: "below minimum count", resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "2" })), params: { minFullCount: 7 }, problems: [{ message: "minimum of 7 full backups" }] },
    {
      name: "below minimum days",
      resource: cluster(backup([s3Repo(1)], { "repo1-retention-full": "7", "repo1-retention-full-type": "time" })),
      params: { minFullDays: 30 },
      problems: [{ message: "30 days" }],
    },
    {
      name: "realistic: a DR repo added without retention",
      resource: edit(SHOP, ({ global }) => {
        delete global["repo2-retention-full"];
        delete global["repo2-retention-full-type"];
      }),
      problems: [{ path: G, message: "global has no repo2-retention-full" }],
    },
    {
      name: "realistic: an unquoted YAML number",
      resource: KEYCLOAK.replace('repo1-retention-full: "7"', "repo1-retention-full: 7"),
      problems: [{ path: `${G}.repo1-retention-full`, message: "Quote it: `repo1-retention-full: '7'`" }],
    },
    {
      name: "realistic: a placeholder with a unit glued to it is still not a number",
      resource: edit(SHOP, ({ global }) => {
        global["repo1-retention-full"] = "${RETENTION_DAYS}d";
      }),
      problems: [{ path: `${G}.repo1-retention-full`, message: "not a whole number" }],
    },
  ],
});
