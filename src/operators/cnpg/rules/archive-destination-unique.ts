import type { Problem, Resource, RuleContext } from "../../../engine/types.ts";
import { findObject, indexOf, namespaceOf, notChecked, problem } from "../../../rules/util.ts";
import { getArray, getObject, isObject, type JsonObject } from "../../../util/object.ts";
import { hasPlaceholder } from "../../../util/placeholder.ts";
import { BARMAN_CLOUD_PLUGIN, CLUSTER, clusterPlugins, inTreeObjectStore, isBarmanCloud, isCluster, isNonEmptyString } from "../model.ts";
import { defineRule } from "../../../rules/define.ts";

// Where a Cluster writes and reads its archive, as the operator and the plugin compute it:
// - plugin (plugin-barman-cloud v0.14.0 internal/cnpgi/operator/config/config.go NewFromCluster): the ObjectStore is
//   barmanObjectName of the last spec.plugins entry named barman-cloud (NewPlugin), in the Cluster's namespace; the
//   serverName is parameters.serverName of the last enabled barman-cloud entry that has the key, else the Cluster's
//   name. An enabled entry archives WAL whatever isWALArchiver says (CNPG sends WAL to every enabled plugin,
//   archiver.go archiveWALViaPlugins; plugin-barman-cloud#606) and takes the plugin's base backups.
//   Recovery/replica sources: the externalClusters entry's plugin parameters, serverName defaulting to this Cluster's
//   own name (not the external cluster's).
// - in-tree (barman-cloud v0.5.1 archiver/command.go): barmanObjectStore.destinationPath and serverName, else the
//   Cluster's name; an externalClusters entry's serverName defaults to the entry's name (api/v1 GetServerName).
// barman-cloud writes under <destinationPath>/<serverName>; bucket URLs (s3://, gs://, https://<account>.blob...) are
// global, so two ObjectStores with the same destinationPath (and endpointURL) are the same place in any namespace.

const ID = "cnpg-archive-destination-unique";

/** One place a Cluster writes to or reads from. */
interface Place {
  /** Field path reported for this place. */
  path: string;
  serverName: string;
  /** Where this place's serverName is set (for the fix). */
  serverNamePath: string;
  /** The barman-cloud ObjectStore, for plugin places; `namespace` undefined when the Cluster's is not known. */
  store?: { namespace: string | undefined; name: string };
  /** `endpointURL|destinationPath`, normalised, when known (computed on demand: it may need a lookup). */
  location: () => Location | undefined;
}

interface Location {
  key: string;
  shown: string;
}

function str(v: unknown): string | undefined {
  return isNonEmptyString(v) ? v : undefined;
}

function withoutTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s[end - 1] === "/") end--;
  return s.slice(0, end);
}

/** The archive root of a barman object store configuration; placeholders make it unknown (resolved at deploy time). */
function locationOf(config: JsonObject | undefined): Location | undefined {
  const dp = str(config?.destinationPath)?.trim();
  if (dp === undefined || dp === "" || hasPlaceholder(dp)) return undefined;
  const endpoint = typeof config?.endpointURL === "string" ? config.endpointURL.trim() : "";
  if (hasPlaceholder(endpoint)) return undefined;
  const path = withoutTrailingSlashes(dp);
  return { key: `${withoutTrailingSlashes(endpoint)}|${path}`, shown: endpoint === "" ? path : `${path} at ${endpoint}` };
}

type StoreCache = Map<string, Location | undefined>;

function storeLocation(ctx: RuleContext, namespace: string | undefined, name: string, cache: StoreCache): Location | undefined {
  const key = `${namespace ?? ""}/${name}`;
  if (cache.has(key)) return cache.get(key);
  const found = findObject(ctx.lookups, "ObjectStore", namespace, name);
  const loc = found.state === "found" ? locationOf(getObject(found.object, "spec.configuration")) : undefined;
  cache.set(key, loc);
  return loc;
}

interface IndexEntry {
  other: Resource;
  name: string;
  ns: string | undefined;
  place: Place;
}

/**
 * Every known Cluster's archive places by serverName, built once per state of the Clusters and ObjectStores
 * (linear in their number, instead of every Cluster scanning every other one). undefined: Clusters not known.
 */
function archiveIndex(ctx: RuleContext): Map<string, IndexEntry[]> | undefined {
  return indexOf(ctx.lookups, ["Cluster", "ObjectStore"], "cnpg-archive-destination-unique/by-server-name", () => {
    const all = ctx.lookups.list("Cluster");
    if (all === undefined) return undefined;
    const cache: StoreCache = new Map();
    const byServer = new Map<string, IndexEntry[]>();
    for (const other of all) {
      if (!isCluster(other) || !isObject(other.metadata)) continue;
      const otherName = clusterName(other);
      if (otherName === undefined || hasPlaceholder(otherName)) continue;
      const otherNs = namespaceOf(other);
      for (const place of archivePlaces(other, ctx, cache)) {
        if (!hasNoPlaceholder(place)) continue;
        let bucket = byServer.get(place.serverName);
        if (!bucket) byServer.set(place.serverName, (bucket = []));
        bucket.push({ other, name: otherName, ns: otherNs, place });
      }
    }
    return byServer;
  });
}

function clusterName(cluster: Resource): string | undefined {
  return str(cluster.metadata.name);
}

/** Where the Cluster writes WAL and base backups: its barman-cloud plugin store and/or its in-tree store. */
function archivePlaces(cluster: Resource, ctx: RuleContext, cache: StoreCache): Place[] {
  const out: Place[] = [];
  const name = clusterName(cluster);
  const ns = namespaceOf(cluster);
  const entries = clusterPlugins(cluster).filter(isBarmanCloud);
  const enabled = entries.filter((p) => p.enabled);
  const storeEntry = entries.at(-1);
  const storeName = storeEntry ? str(storeEntry.parameters?.barmanObjectName) : undefined;
  if (enabled.length > 0 && storeEntry && storeName !== undefined) {
    let serverName = name;
    let serverNameEntry = enabled.at(-1)!;
    for (const e of enabled) {
      if (e.parameters && Object.hasOwn(e.parameters, "serverName")) {
        serverName = str(e.parameters.serverName);
        serverNameEntry = e;
      }
    }
    if (serverName !== undefined) {
      out.push({
        path: `${storeEntry.path}.parameters.barmanObjectName`,
        serverName,
        serverNamePath: `${serverNameEntry.path}.parameters.serverName`,
        store: { namespace: ns, name: storeName },
        location: () => storeLocation(ctx, ns, storeName, cache),
      });
    }
  }
  const bos = inTreeObjectStore(cluster);
  if (bos) {
    const serverName = str(bos.serverName) ?? name;
    const loc = locationOf(bos);
    if (serverName !== undefined && loc !== undefined) {
      out.push({ path: "spec.backup.barmanObjectStore", serverName, serverNamePath: "spec.backup.barmanObjectStore.serverName", location: () => loc });
    }
  }
  return out;
}

/** CNPG api/v1 Cluster.IsReplica: `enabled` when set, else whether `self` (default the Cluster's name) is not `primary`. */
function isReplica(cluster: Resource): boolean {
  const r = getObject(cluster, "spec.replica");
  if (!r) return false;
  if (typeof r.enabled === "boolean") return r.enabled;
  const self = str(r.self) ?? clusterName(cluster) ?? "";
  return self !== (typeof r.primary === "string" ? r.primary : "");
}

/** The archives the Cluster restores from: its recovery source and, for a replica cluster, its replica source. */
function sourcePlaces(cluster: Resource, ctx: RuleContext, cache: StoreCache): { via: string; place: Place }[] {
  const sources: { via: string; name: string }[] = [];
  const recovery = str(getObject(cluster, "spec.bootstrap.recovery")?.source);
  if (recovery !== undefined) sources.push({ via: "spec.bootstrap.recovery.source", name: recovery });
  const replica = str(getObject(cluster, "spec.replica")?.source);
  if (replica !== undefined && isReplica(cluster)) sources.push({ via: "spec.replica.source", name: replica });
  if (sources.length === 0) return [];
  const externals = getArray(cluster, "spec.externalClusters") ?? [];
  const name = clusterName(cluster);
  const ns = namespaceOf(cluster);
  const out: { via: string; place: Place }[] = [];
  for (const source of sources) {
    const i = externals.findIndex((e) => isObject(e) && e.name === source.name);
    if (i < 0) continue; // CNPG's webhook rejects a source that names no external cluster
    const ext = externals[i] as JsonObject;
    const base = `spec.externalClusters[${i}]`;
    const plugin = ext.plugin;
    if (isObject(plugin) && plugin.name === BARMAN_CLOUD_PLUGIN && plugin.enabled !== false) {
      const params = isObject(plugin.parameters) ? plugin.parameters : {};
      const storeName = str(params.barmanObjectName);
      const serverName = str(params.serverName) ?? name;
      if (storeName !== undefined && serverName !== undefined) {
        out.push({
          via: source.via,
          place: {
            path: `${base}.plugin.parameters.barmanObjectName`,
            serverName,
            serverNamePath: `${base}.plugin.parameters.serverName`,
            store: { namespace: ns, name: storeName },
            location: () => storeLocation(ctx, ns, storeName, cache),
          },
        });
      }
    }
    if (isObject(ext.barmanObjectStore)) {
      const serverName = str(ext.barmanObjectStore.serverName) ?? source.name;
      const loc = locationOf(ext.barmanObjectStore);
      if (loc !== undefined) {
        out.push({
          via: source.via,
          place: { path: `${base}.barmanObjectStore`, serverName, serverNamePath: `${base}.barmanObjectStore.serverName`, location: () => loc },
        });
      }
    }
  }
  return out;
}

/**
 * Whether two places are the same archive: the same serverName, and the same ObjectStore (by identity: within one
 * Cluster, or in a namespace known on both sides) or the same destinationPath and endpointURL.
 */
function samePlace(a: Place, b: Place, sameCluster: boolean): boolean {
  if (a.serverName !== b.serverName) return false;
  if (a.store && b.store && a.store.name === b.store.name && (sameCluster || (a.store.namespace !== undefined && a.store.namespace === b.store.namespace))) {
    return true;
  }
  const la = a.location();
  const lb = la === undefined ? undefined : b.location();
  return la !== undefined && lb !== undefined && la.key === lb.key;
}

function describe(p: Place): string {
  const loc = p.location();
  if (p.store) return `ObjectStore "${p.store.name}"${loc ? ` (${loc.shown})` : ""}`;
  return `destinationPath ${loc?.shown ?? "(unknown)"}`;
}

/** A serverName for the next incarnation: a trailing number counted up, else `-2` appended; never one of `taken`. */
export function nextServerName(serverName: string, taken: ReadonlySet<string> = new Set()): string {
  let candidate = serverName;
  for (let round = 0; round < 100; round++) {
    let end = candidate.length;
    while (end > 0 && candidate.charCodeAt(end - 1) >= 48 && candidate.charCodeAt(end - 1) <= 57) end--;
    const digits = candidate.slice(end);
    candidate = digits.length > 0 && digits.length <= 6 ? `${candidate.slice(0, end)}${Number(digits) + 1}` : `${candidate}-2`;
    if (!taken.has(candidate) && candidate !== serverName) return candidate;
  }
  return `${serverName}-new`;
}

function hasNoPlaceholder(p: Place): boolean {
  return !hasPlaceholder(p.serverName) && !(p.store && hasPlaceholder(p.store.name));
}

const CHECK_SKIPPED =
  'CNPG\'s "Expected empty archive" check does not reliably prevent this: it runs only while the marker file from ' +
  "bootstrap is present (an archiver added to a running Cluster skips it, cloudnative-pg#11126), a Cluster replaced " +
  "over a used archive has come up healthy (cloudnative-pg#6137), and cnpg.io/skipEmptyWalArchiveCheck: enabled turns it off.";

function ref(o: Resource): string {
  const ns = namespaceOf(o);
  return `${ns ? `${ns}/` : ""}${String(o.metadata.name)}`;
}

export const rule = defineRule({
  meta: {
    id: ID,
    appliesTo: [CLUSTER],
    defaultAction: "deny",
    params: {},
    lookups: ["Cluster"],
    docs: {
      summary: "Each Cluster (and each incarnation of one) needs its own archive: destinationPath/ObjectStore + serverName.",
      rationale:
        "barman-cloud writes WAL and base backups under <destinationPath>/<serverName>; serverName defaults to the " +
        "Cluster's name (in-tree barmanObjectStore.serverName, plugin parameters.serverName). Two Clusters with the same " +
        "ObjectStore (or destinationPath) and serverName mix their WAL and backups, and a Cluster that archives into the " +
        "archive it recovers from (bootstrap.recovery.source, or replica.source of a replica cluster, resolving to the " +
        "same store and serverName; the plugin defaults a source's serverName to this Cluster's own name) writes its " +
        "new timeline over the history it was restored from. CNPG's \"Expected empty archive\" check then stops the " +
        "recovery or the archiving, where it runs; it is skipped in several cases (cloudnative-pg#11126, #6137) and by " +
        "the cnpg.io/skipEmptyWalArchiveCheck annotation. Other Clusters come from the inputs, --lookup or the " +
        "webhook's informers; ObjectStores, when known, let different ObjectStores with the same destinationPath " +
        "(and endpointURL) count as one place, in any namespace. Clusters whose namespace is not set, or whose name, " +
        "serverName or store name is a ${…} placeholder, are never denied: whether they are distinct objects in one " +
        "namespace is decided at deploy time.",
      bad:
        "# restored from its own archive and archiving back into it\nspec:\n  bootstrap:\n    recovery: {source: origin}\n  " +
        "externalClusters:\n  - name: origin\n    plugin:\n      name: barman-cloud.cloudnative-pg.io\n      parameters: {barmanObjectName: store}\n  " +
        "plugins:\n  - name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: store}",
      good:
        "spec:\n  bootstrap:\n    recovery: {source: origin}\n  externalClusters:\n  - name: origin\n    plugin:\n      " +
        "name: barman-cloud.cloudnative-pg.io\n      parameters: {barmanObjectName: store, serverName: pg}\n  plugins:\n  " +
        "- name: barman-cloud.cloudnative-pg.io\n    isWALArchiver: true\n    parameters: {barmanObjectName: store, serverName: pg-2}",
      fix: "Give every Cluster, and every new incarnation of one, its own serverName (parameters.serverName of the barman-cloud plugin entry, or barmanObjectStore.serverName), and recover from the old one.",
    },
  },
  check(resource, ctx) {
    const cache: StoreCache = new Map();
    const archives = archivePlaces(resource, ctx, cache);
    if (archives.length === 0) return [];
    const out: Problem[] = [];

    // 1. Archiving into the archive this Cluster restores from (no other object needed).
    const sources = sourcePlaces(resource, ctx, cache);
    for (const a of archives) {
      const s = sources.find((x) => samePlace(a, x.place, true));
      if (!s) continue;
      const next = nextServerName(a.serverName);
      out.push(
        problem(
          a.path,
          `${s.via} reads its backups and WAL from ${describe(s.place)} under serverName "${s.place.serverName}" ` +
            `(${s.place.path}), and this Cluster archives WAL and base backups to that same place (${a.path}). The new ` +
            "timeline is written into the archive it was restored from: where CNPG's \"Expected empty archive\" check " +
            "runs it stops the recovery (the Cluster stays in \"Setting up primary\", cloudnative-pg#6470); where it is " +
            "skipped (an archiver added after bootstrap, cloudnative-pg#11126; cnpg.io/skipEmptyWalArchiveCheck) the two " +
            "incarnations' WAL and backups mix and the history you recovered from is overwritten. Give this " +
            `incarnation its own serverName: set ${a.serverNamePath}: "${next}", and keep ${s.place.serverNamePath} ` +
            `at "${s.place.serverName}" to recover from the old one.`,
        ),
      );
    }

    // 2. Another Cluster archiving to the same place.
    const name = clusterName(resource);
    if (name === undefined || hasPlaceholder(name)) return out;
    const mine = archives.filter(hasNoPlaceholder);
    if (mine.length === 0) return out;
    const index = archiveIndex(ctx);
    if (index === undefined) {
      out.push(notChecked(ctx.lookups, "Cluster", mine[0]!.path));
      return out;
    }
    const ns = namespaceOf(resource);
    const sure = new Map<Place, { other: Resource; place: Place }[]>();
    const unsure = new Map<Place, { other: Resource; place: Place }[]>();
    for (const a of mine) {
      const seen = new Set<Resource>();
      for (const e of index.get(a.serverName) ?? []) {
        // The Cluster itself (its stored copy on UPDATE, or the same object seen without a namespace).
        if (e.name === name && (e.ns === ns || e.ns === undefined || ns === undefined)) continue;
        if (seen.has(e.other) || !samePlace(a, e.place, false)) continue;
        seen.add(e.other);
        const into = ns !== undefined && e.ns !== undefined ? sure : unsure;
        into.set(a, [...(into.get(a) ?? []), { other: e.other, place: e.place }]);
      }
    }
    for (const a of mine) {
      const hits = sure.get(a);
      if (hits) {
        const list = hits.slice(0, 5).map((h) => `Cluster "${ref(h.other)}" (${h.place.path})`).join(", ") + (hits.length > 5 ? ` and ${hits.length - 5} more` : "");
        const taken = new Set(hits.map((h) => h.place.serverName));
        out.push(
          problem(
            a.path,
            `This Cluster archives WAL and base backups to ${describe(a)} under serverName "${a.serverName}", and so ` +
              `does ${list}. Two Clusters in one <destinationPath>/<serverName> mix their WAL and backups: a restore ` +
              "replays the wrong cluster's WAL or fails, and one Cluster's retention deletes the other's backups. " +
              `${CHECK_SKIPPED} Give this Cluster its own serverName: set ${a.serverNamePath}: "${nextServerName(a.serverName, taken)}" ` +
              "(a new serverName for every incarnation; recover from the old one through externalClusters).",
          ),
        );
        continue;
      }
      const maybe = unsure.get(a);
      if (maybe) {
        const h = maybe[0]!;
        out.push({
          path: a.path,
          notChecked: true,
          message:
            `Cluster "${ref(h.other)}" also archives to ${describe(a)} under serverName "${a.serverName}" (${h.place.path}), ` +
            `but ${ns === undefined ? "this Cluster's" : "its"} namespace is not set here, so whether the two are ` +
            "distinct Clusters sharing one archive is decided at deploy time. Set metadata.namespace (or pass " +
            "--namespace) to check this; distinct Clusters need distinct serverNames.",
        });
      }
    }
    return out;
  },
});
