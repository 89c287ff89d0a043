// Public sources the PGO rules cite. Code links are pinned to tag v6.0.3 of CrunchyData/postgres-operator
// (commit 0fbac3062d64); pgBackRest facts to tag release/2.59.1 of pgbackrest/pgbackrest.

const OPERATOR = "https://github.com/CrunchyData/postgres-operator/blob/v6.0.3";
const PGBACKREST = "https://github.com/pgbackrest/pgbackrest/blob/release/2.59.1";

/** The operator's source (its documentation is no longer in the repository). */
export const PGO_DOCS = "https://github.com/CrunchyData/postgres-operator";

/** A line range of the operator's code at v6.0.3, e.g. `operatorCode("internal/naming/names.go", 463, 468)`. */
export function operatorCode(path: string, from: number, to?: number): string {
  return `${OPERATOR}/${path}#L${from}${to === undefined ? "" : `-L${to}`}`;
}

/** A line range of the PostgresCluster CRD at v6.0.3. */
export function crdLines(from: number, to?: number): string {
  return operatorCode("config/crd/bases/postgres-operator.crunchydata.com_postgresclusters.yaml", from, to);
}

/** pgBackRest's option table at release/2.59.1. */
export const PGBACKREST_OPTIONS = `${PGBACKREST}/src/build/config/config.yaml`;

/** A line range of pgBackRest's source at release/2.59.1. */
export function pgbackrestCode(path: string, from: number, to?: number): string {
  return `${PGBACKREST}/${path}#L${from}${to === undefined ? "" : `-L${to}`}`;
}

/** A CrunchyData/postgres-operator issue. */
export function issue(n: number): string {
  return `https://github.com/CrunchyData/postgres-operator/issues/${n}`;
}

/** Shorthands for the operator files the rules cite most. */
export const CONTROLLER_PGBACKREST = "internal/controller/postgrescluster/pgbackrest.go";
export const PGBACKREST_CONFIG = "internal/pgbackrest/config.go";
