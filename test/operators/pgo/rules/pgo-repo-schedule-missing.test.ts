import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/repo-schedule-missing.ts";
import { R, cluster, good, pgbackrest, s3Repo, volumeRepo } from "../fixtures.ts";

/** A repo renamed: `${REPO}` in a GitOps source, substituted at deploy time. */
const named = (repo: Record<string, unknown>, name: string) => ({ ...repo, name });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "no repo has full: pgo-full-schedule-required reports", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, null), s3Repo(2, null)]) }) },
    { name: "standby", resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null)]) }, { standby: { host: "p" } }) },
    // pgo-schedules cannot know what the name becomes, so it adds nothing; once substituted, it adds the full schedule.
    {
      name: "the second repo is named by a placeholder",
      notChecked: true,
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), named(s3Repo(2, null), "${OFFSITE_REPO:=repo2}")]) }),
    },
    {
      name: "differential only, named by a placeholder",
      notChecked: true,
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), named(s3Repo(2, { differential: "30 3 * * *" }), "repo${N}")]) }),
    },
  ],
  invalid: [
    {
      name: "second repo without schedules",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null)]) }),
      problems: [{ path: `${R}[1]`, message: "repo2 has no schedules" }],
    },
    {
      name: "differential only",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, { differential: "30 3 * * *" })]) }),
      problems: [{ path: `${R}[1].schedules`, message: "no full" }],
    },
    {
      name: "pgo-full-schedule-required off: every repo",
      inactiveRules: ["pgo-full-schedule-required"],
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1, null)]) }),
      problems: [{ path: `${R}[0]`, message: "after the one-off replica-create backup" }],
    },
    {
      name: "the placeholder repo answers not checked, the real one is judged (schedules of the wrong type: no default)",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, "daily"), named(s3Repo(3, null), "${REPO}")]) }),
      problems: [
        { path: `${R}[1]`, message: "repo2 has no schedules" },
        { path: `${R}[2].name`, message: 'the repo name "${REPO}"', notChecked: true },
      ],
    },
    {
      name: "repo2 has no full either: no default ran, so no substitution adds one",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), s3Repo(2, null), named(s3Repo(3, null), "${REPO}")]) }),
      problems: [
        { path: `${R}[1]`, message: "repo2 has no schedules" },
        { path: `${R}[2]`, message: "${REPO} has no schedules" },
      ],
    },
    {
      name: "a placeholder name that can become no repo1..repo4",
      resource: cluster({ pgbackrest: pgbackrest([volumeRepo(1), named(s3Repo(2, null), "offsite-${N}")]) }),
      problems: [{ path: `${R}[1]`, message: "offsite-${N} has no schedules" }],
    },
  ],
});
