import type { Problem } from "../../../engine/types.ts";
import { isObject, type JsonObject } from "../../../util/object.ts";
import { placeholderOneOfNotChecked, problem } from "../../../rules/util.ts";
import { APPLIES_TO, REPO_NAME, globalKeyPath, globalOf, reposOf, show, type RepoView } from "../model.ts";
import { operatorCode } from "../links.ts";
import { defineRule } from "../../../rules/define.ts";

// What the operator writes into pgbackrest_instance.conf for an object-storage repo, straight from the repo's
// fields and even when they are empty (k8sres.go generatePgbackrestConfigmap). pgBackRest refuses an option with an
// empty value ("section 'global', key '…' must have a value") and an option set twice in one section ("cannot be set
// multiple times"), so every field the operator writes must be set on the repo, and none may be repeated in global.
// Credentials the operator does not write (repoN-s3-key, repoN-s3-key-secret, …) come from the Secret: not judged here.

type ObjectStorage = "s3" | "gcs" | "azure";
type RepoField = "resource" | "endpoint" | "region" | "account" | "key" | "keyType";

interface WrittenOption {
  /** The pgBackRest option without its `repoN-` prefix. */
  option: string;
  /** The repo field the operator takes the value from (`undefined`: the storage type itself). */
  field?: RepoField;
  /** What the value is, for messages. */
  what: string;
  /** An example value for the fix. */
  example: string;
  /** pgBackRest also accepts this option without an index for repo1 (a deprecated name). */
  unindexedAlias?: boolean;
}

const WRITTEN: Record<ObjectStorage, WrittenOption[]> = {
  s3: [
    { option: "s3-bucket", field: "resource", what: "the bucket", example: "my-bucket", unindexedAlias: true },
    { option: "s3-endpoint", field: "endpoint", what: "the S3 endpoint", example: "s3.eu-central-1.amazonaws.com", unindexedAlias: true },
    { option: "s3-region", field: "region", what: "the S3 region", example: "eu-central-1", unindexedAlias: true },
    { option: "type", what: "the repo type", example: "s3", unindexedAlias: true },
  ],
  gcs: [
    { option: "gcs-bucket", field: "resource", what: "the bucket", example: "my-bucket" },
    { option: "gcs-key", field: "key", what: "the name of the service-account key file in the Secret", example: "gcs.json" },
    { option: "gcs-key-type", field: "keyType", what: "the key type", example: "service" },
    { option: "type", what: "the repo type", example: "gcs", unindexedAlias: true },
  ],
  azure: [
    { option: "azure-container", field: "resource", what: "the container", example: "my-container" },
    { option: "azure-endpoint", field: "endpoint", what: "the Blob service endpoint", example: "blob.core.windows.net" },
    { option: "azure-key", field: "key", what: "the account key (or SAS token)", example: "<key>" },
    { option: "azure-account", field: "account", what: "the storage account", example: "mystorageaccount" },
    { option: "type", what: "the repo type", example: "azure", unindexedAlias: true },
  ],
};

const GCS_KEY_TYPES = ["service", "auto", "token"];

const CONFIG_CODE = operatorCode("pkg/cluster/k8sres.go", 3304, 3322);
/** pgBackRest 2.58.0 (the version the 18.3-1 images install): empty and repeated options in a config file are errors. */
const PGBACKREST_PARSE = "https://github.com/pgbackrest/pgbackrest/blob/release/2.58.0/src/config/parse.c#L2167-L2199";

function isObjectStorage(storage: string | undefined): storage is ObjectStorage {
  return storage === "s3" || storage === "gcs" || storage === "azure";
}

/** `PGBACKREST_REPO1_S3_REGION`: the environment form of an option, which pgBackRest reads before its config files. */
function envName(option: string): string {
  return `PGBACKREST_${option.toUpperCase().replace(/-/g, "_")}`;
}

/** Names of the env vars the operator puts into the postgres container (spec.postgresql.env, spec.env), where pgBackRest runs. */
function postgresEnvNames(resource: { spec?: unknown }): Set<string> {
  const names = new Set<string>();
  const spec = isObject(resource.spec) ? resource.spec : {};
  const lists = [isObject(spec.postgresql) ? spec.postgresql.env : undefined, spec.env];
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) if (isObject(entry) && typeof entry.name === "string") names.add(entry.name);
  }
  return names;
}

type FieldState = { state: "set"; value: string } | { state: "missing" } | { state: "blank" } | { state: "wrong-type"; value: unknown };

function fieldState(repo: JsonObject, field: RepoField): FieldState {
  const value = repo[field];
  if (value === undefined || value === null) return { state: "missing" };
  if (typeof value !== "string") return { state: "wrong-type", value };
  // pgBackRest trims ini values, so whitespace is as empty as "".
  return value.trim() === "" ? { state: "blank" } : { state: "set", value: value.trim() };
}

function fieldPath(repo: RepoView, field: RepoField, state: FieldState): string {
  return state.state === "missing" ? repo.path : `${repo.path}.${field}`;
}

function describeField(repo: RepoView, field: RepoField, state: FieldState): string {
  const name = repo.name!;
  const storage = repo.storage!;
  if (state.state === "wrong-type") return `${name} (${storage}): ${field} is ${show(state.value)}, not a string`;
  return `${name} (${storage}) has ${state.state === "blank" ? "an empty" : "no"} ${field}`;
}

function checkRepo(repo: RepoView, global: JsonObject | undefined, env: Set<string>): Problem[] {
  const storage = repo.storage;
  if (!repo.obj || !isObjectStorage(storage) || repo.name === undefined || !REPO_NAME.test(repo.name)) return [];
  const obj = repo.obj;
  const name = repo.name;
  const problems: Problem[] = [];
  const keyType = fieldState(obj, "keyType");
  for (const w of WRITTEN[storage]) {
    const option = `${name}-${w.option}`;
    const aliases = w.unindexedAlias && name === "repo1" ? [option, `repo-${w.option}`] : [option];
    // An environment variable in the postgres container wins over every config file, empty or repeated values included.
    if (aliases.some((o) => env.has(envName(o)))) continue;
    const state = w.field ? fieldState(obj, w.field) : ({ state: "set", value: storage } as FieldState);
    const inGlobal = global ? aliases.find((o) => Object.hasOwn(global, o)) : undefined;
    if (inGlobal !== undefined) {
      const source = w.field ? `${repo.path}.${w.field}` : `${repo.path}.storage`;
      const move =
        w.field && state.state !== "set"
          ? `Move the value to the repo: \`${w.field}: ${show(global![inGlobal])}\`, and remove ${inGlobal} from global.`
          : `Remove ${inGlobal} from global${w.field ? ` and keep \`${w.field}\` on the repo` : ""}.`;
      problems.push(
        problem(
          globalKeyPath(inGlobal),
          `global sets ${inGlobal}, but the operator already writes ${option} from ${source} into the same [global] section ` +
            `of pgbackrest_instance.conf: pgBackRest then refuses the option as set twice ("option '${option}' cannot be set multiple times"), ` +
            `so WAL archiving and every backup fail. ${move}`,
        ),
      );
      continue;
    }
    if (!w.field) continue;
    if (storage === "gcs" && w.field === "key") {
      // The operator writes repoN-gcs-key = /etc/pgbackrest/conf.d/<key>, never empty; pgBackRest reads that file only
      // for keyType service (auto needs no key; token is reported on keyType).
      if (keyType.state !== "set" || keyType.value !== "service" || state.state === "set") continue;
      problems.push(
        problem(
          fieldPath(repo, w.field, state),
          `${describeField(repo, w.field, state)}: with keyType service the operator points ${option} at /etc/pgbackrest/conf.d/<key>, ` +
            "the key file projected from the configuration Secret, so without a key name pgBackRest reads the directory and every backup and WAL push fails. " +
            `Set \`key: ${w.example}\` (the Secret's data key holding the service-account JSON), or \`keyType: auto\` to use the workload's own identity.`,
        ),
      );
      continue;
    }
    if (state.state !== "set") {
      const azureKeyNote =
        storage === "azure" && w.field === "key"
          ? ` The operator writes the option even with ${name}-azure-key-type: auto in global (pgBackRest then ignores its value), so it must not be empty.`
          : "";
      const endpointNote = storage === "azure" && w.field === "endpoint" ? " pgBackRest's own default does not apply, because the operator writes the option empty." : "";
      problems.push(
        problem(
          fieldPath(repo, w.field, state),
          `${describeField(repo, w.field, state)} (${w.what}): the operator writes \`${option} = \` empty into pgbackrest_instance.conf, and pgBackRest refuses ` +
            `it ("section 'global', key '${option}' must have a value"), so WAL archiving and every backup of this cluster fail and WAL piles up on the primary.` +
            `${endpointNote}${azureKeyNote} Set \`${w.field}: ${w.example}\` on the repo (not in global, where the option would be set twice).`,
        ),
      );
      continue;
    }
    if (storage === "gcs" && w.field === "keyType" && state.state === "set") {
      // token is wrong whatever the key is (below): a placeholder that can only become token is still judged.
      const unresolved = placeholderOneOfNotChecked(obj.keyType, GCS_KEY_TYPES.filter((t) => t !== "token"), `${repo.path}.keyType`, `${name} keyType`);
      if (unresolved) problems.push(unresolved);
      else if (!GCS_KEY_TYPES.includes(state.value)) {
        problems.push(
          problem(
            `${repo.path}.keyType`,
            `${name} (gcs): keyType ${show(obj.keyType)} is not a pgBackRest GCS key type: pgBackRest refuses ${option} ` +
              `("is not allowed for '${option}' option"), so WAL archiving and every backup fail. Use \`keyType: service\` (with key) or \`keyType: auto\`.`,
          ),
        );
      } else if (state.value === "token") {
        problems.push(
          problem(
            `${repo.path}.keyType`,
            `${name} (gcs): keyType token makes pgBackRest use ${name}-gcs-key itself as the access token, but the operator always writes that option as ` +
              "the file path /etc/pgbackrest/conf.d/<key>, so every request is sent with a file path as its token and fails. " +
              "Use `keyType: service` with `key: <file name in the Secret>`, or `keyType: auto`.",
          ),
        );
      }
    }
  }
  return problems;
}

export const rule = defineRule({
  meta: {
    id: "cpo-repo-storage-fields",
    appliesTo: [...APPLIES_TO],
    defaultAction: "deny",
    params: {},
    docs: {
      summary: "An s3/gcs/azure repo sets every field the operator writes into pgBackRest's config (bucket, endpoint, region, account, key, keyType).",
      rationale:
        "For each object-storage repo the operator writes fixed options into pgbackrest_instance.conf from the repo's fields, also when a field is empty " +
        `(${CONFIG_CODE}): s3 writes repoN-s3-bucket/-s3-endpoint/-s3-region from resource/endpoint/region; gcs writes repoN-gcs-bucket from resource, ` +
        "repoN-gcs-key as /etc/pgbackrest/conf.d/<key> and repoN-gcs-key-type from keyType; azure writes repoN-azure-container/-azure-endpoint/-azure-key/" +
        "-azure-account from resource/endpoint/key/account. pgBackRest refuses an empty option and an option set twice in one section " +
        `(${PGBACKREST_PARSE}), so a missing field, or the same option also in ` +
        "global, breaks archive-push and every backup. The CRD the operator registers requires only name and storage (the manifests/ and chart CRDs " +
        "also require resource), so the API server accepts such a repo. Credentials the operator does not write (repoN-s3-key, repoN-s3-key-secret) come from the configuration Secret " +
        "and are not judged; an option set as a PGBACKREST_* variable in spec.env or spec.postgresql.env counts as set.",
      bad: "repos:\n  - {name: repo1, storage: s3, resource: my-bucket, endpoint: s3.eu-central-1.amazonaws.com, schedule: {full: '30 2 * * *'}}",
      good:
        "repos:\n  - {name: repo1, storage: s3, resource: my-bucket, endpoint: s3.eu-central-1.amazonaws.com, region: eu-central-1,\n" +
        "     schedule: {full: '30 2 * * *'}}",
      fix:
        "Set the named field on the repo: s3 needs resource, endpoint and region; gcs needs resource and keyType (service with key, or auto); azure needs " +
        "resource, endpoint (e.g. blob.core.windows.net), account and key. Do not repeat these options (or repoN-type) in global.",
    },
  },
  check(resource) {
    const repos = reposOf(resource);
    if (!repos) return [];
    const global = globalOf(resource);
    const env = postgresEnvNames(resource);
    const problems: Problem[] = [];
    for (const repo of repos) problems.push(...checkRepo(repo, global, env));
    return problems;
  },
});
