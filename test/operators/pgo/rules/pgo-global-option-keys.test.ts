import { ruleTester } from "../../../helpers/rule-tester.ts";
import { rule } from "../../../../src/operators/pgo/rules/global-option-keys.ts";
import { G, cluster, good, pgbackrest, s3Repo } from "../fixtures.ts";

const withGlobal = (global: Record<string, unknown>) => cluster({ pgbackrest: pgbackrest([s3Repo(1)], { global }) });

ruleTester(rule, {
  valid: [
    { resource: good() },
    { name: "known options", resource: withGlobal({ "repo1-s3-uri-style": "path", "backup-standby": "y", "process-max": "4", "repo1-cipher-type": "aes-256-cbc", "compress-type": "zst" }) },
    { name: "deprecated un-indexed name", resource: withGlobal({ "retention-full": "3" }) },
    { name: "extra known", params: { extraKnownOptions: ["repo1-future-option"] }, resource: withGlobal({ "repo1-future-option": "y" }) },
    {
      name: "repo2-path while the second repo is named repo${N}: not checked",
      notChecked: true,
      resource: cluster({ pgbackrest: { ...pgbackrest([s3Repo(1)]), repos: [s3Repo(1), { ...s3Repo(2), name: "repo${N}" }], global: { "repo1-path": "/a", "repo2-path": "/b" } } }),
    },
  ],
  invalid: [
    {
      name: "repo3-path while the only other repo name (${N}-x) can never be repo3",
      resource: cluster({ pgbackrest: { ...pgbackrest([s3Repo(1)]), repos: [s3Repo(1), { ...s3Repo(2), name: "${N}-x" }], global: { "repo3-path": "/b" } } }),
      problems: [{ path: `${G}.repo3-path`, message: "for repo3" }],
    },
    { name: "typo #3943", resource: withGlobal({ "repo1-rentention-archive": "2" }), problems: [{ path: `${G}.repo1-rentention-archive`, message: "Did you mean repo1-retention-archive?" }] },
    { name: "plain typo", resource: withGlobal({ "proces-max": "2" }), problems: [{ message: "Did you mean process-max?" }] },
    { name: "undefined repo", resource: withGlobal({ "repo3-path": "/x" }), problems: [{ path: `${G}.repo3-path`, message: "for repo3" }] },
    { name: "nonsense", resource: withGlobal({ "zzzzzzzzzzzz": "1" }), problems: [{ message: "not a pgBackRest option" }] },
  ],
});
