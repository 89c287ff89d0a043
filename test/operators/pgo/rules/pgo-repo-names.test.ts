import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-names.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "four repos", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2), s3Repo(3), s3Repo(4)]) }) },
    { name: "no backups", resource: cluster() },
    { name: "repos not an array", resource: cluster({ pgbackrest: { repos: { name: "repo1" } } }) },
    {
      name: "repo names from Flux placeholders (${REPO}, repo${N}) are not checked",
      notChecked: true,
      resource: cluster({ pgbackrest: { ...pgbackrest([s3Repo(1), s3Repo(2)]), repos: [{ ...s3Repo(1), name: "${REPO:=repo1}" }, { ...s3Repo(2), name: "repo${N}" }] } }),
    },
  ],
  invalid: [
    {
      name: "a placeholder that can never give repo1..repo4 (${ENV}-repo) is still judged",
      resource: cluster({ pgbackrest: pgbackrest([{ ...s3Repo(1), name: "${ENV}-repo" }]) }),
      problems: [{ path: `${R}[0].name`, message: "the API server rejects it" }],
    },
    { name: "repo12", resource: cluster({ pgbackrest: pgbackrest([{ ...s3Repo(1), name: "repo12" }]) }), problems: [{ path: `${R}[0].name`, message: "--repo=12" }] },
    { name: "repo1x", resource: cluster({ pgbackrest: pgbackrest([{ ...s3Repo(1), name: "repo1x" }]) }), problems: [{ path: `${R}[0].name`, message: "repo1x-path" }] },
    { name: "refused by the CRD", resource: cluster({ pgbackrest: pgbackrest([{ ...s3Repo(1), name: "s3-backups" }]) }), problems: [{ message: "the API server rejects it" }] },
    { name: "missing name", resource: cluster({ pgbackrest: { repos: [{ s3: {} }] } }), problems: [{ path: `${R}[0]`, message: "has no name" }] },
    {
      name: "five repos",
      resource: cluster({ pgbackrest: pgbackrest([s3Repo(1), s3Repo(2), s3Repo(3), s3Repo(4), { ...s3Repo(1), name: "repo1a" }]) }),
      problems: [{ path: `${R}[4].name` }, { path: R, message: "5 entries" }],
    },
    {
      name: "thousands of bad names: bounded",
      resource: cluster({ pgbackrest: { repos: Array.from({ length: 5000 }, (_, i) => ({ name: `repo1-${i}` })) } }),
      problems: [...Array.from({ length: 20 }, () => ({})), { path: R, message: "80 more" }, { path: R, message: "only the first 100 were read" }],
    },
  ],
});
