import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/full-schedule-required.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

/** A repo renamed: `${REPO}` in a GitOps source, substituted at deploy time. */
const named = (repo: Record<string, unknown>, name: string) => ({ ...repo, name });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "one repo of two has full", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null)]) }) },
    { name: "standby", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }, { standby: { repoName: "repo1" } }) },
    { name: "no backups: other rule", resource: cluster() },
    { name: "perRepo, all have full", params: { perRepo: true }, resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2)]) }) },
    // pgo-schedules cannot know what the name becomes, so it adds nothing; once substituted, it adds the full schedule.
    { name: "the only repo is named by a placeholder", notChecked: true, resource: cluster({ pgbackrest: pgbackrest([named(s3Repo(1, null), "${REPO}")]) }) },
    { name: "a Flux default as the name", notChecked: true, resource: cluster({ pgbackrest: pgbackrest([named(s3Repo(1, null), "${REPO:=repo1}")]) }) },
    {
      name: "perRepo: the second repo is named by a placeholder",
      params: { perRepo: true },
      notChecked: true,
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), named(s3Repo(2, { differential: "0 3 * * *" }), "repo${N}")]) }),
    },
  ],
  invalid: [
    { name: "no schedules", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }), problems: [{ path: R, message: "one-off replica-create backup to repo1" }] },
    { name: "incremental only", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { incremental: "0 * * * *" })]) }), problems: [{ path: R }] },
    { name: "full not a string", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, { full: 5 })]) }), problems: [{ path: R }] },
    { name: "shutdown still reported", resource: cluster({ pgbackrest: pgbackrest([s3Repo(1, null)]) }, { shutdown: true }), problems: [{ path: R }] },
    {
      name: "perRepo: the second repo",
      params: { perRepo: true },
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, { differential: "0 3 * * *" })]) }),
      problems: [{ path: `${R}[1].schedules`, message: "repo2 has no schedules.full" }],
    },
    {
      name: "perRepo: the placeholder repo answers not checked, the real one is judged",
      params: { perRepo: true },
      resource: cluster({ pgbackrest: pgbackrest([named(volumeRepo(1, null), "${REPO}"), s3Repo(2)]) }),
      problems: [{ path: `${R}[0].name`, message: 'the repo name "${REPO}" contains the unresolved placeholder ${REPO}', notChecked: true }],
    },
    {
      name: "a placeholder name that can become no repo1..repo4 gets no default",
      resource: cluster({ pgbackrest: pgbackrest([named(s3Repo(1, null), "${REPO}-s3")]) }),
      problems: [{ path: R, message: "no repo has schedules.full" }],
    },
    {
      name: "a placeholder name that can only become a name another repo has (repos is keyed by name)",
      params: { perRepo: true },
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), named(s3Repo(2, null), "${N}1")]) }),
      problems: [{ path: `${R}[1]`, message: "${N}1 has no schedules.full" }],
    },
    {
      name: "repo2 has no full either: no default ran, so no substitution adds one",
      resource: cluster({ pgbackrest: pgbackrest([named(s3Repo(1, null), "${REPO}"), s3Repo(2, null)]) }),
      problems: [{ path: R, message: "no repo has schedules.full" }],
    },
    {
      name: "schedules of the wrong type: pgo-schedules adds nothing whatever the name",
      resource: cluster({ pgbackrest: pgbackrest([named(s3Repo(1, "daily"), "${REPO}")]) }),
      problems: [{ path: R }],
    },
  ],
});
