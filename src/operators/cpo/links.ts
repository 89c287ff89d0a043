// Public sources the CPO rules cite in their docs and messages. Code links are pinned: the operator at tag
// v0.9.2 (cybertec-postgresql/CYBERTEC-pg-operator), the Postgres/pgBackRest images at tag 18.3-1
// (cybertec-postgresql/CYBERTEC-pg-container, the Spilo-derived images the operator runs).

const OPERATOR = "https://github.com/cybertec-postgresql/CYBERTEC-pg-operator/blob/v0.9.2";
const CONTAINER = "https://github.com/cybertec-postgresql/CYBERTEC-pg-container/blob/18.3-1";

/** The published operator documentation. */
export const CPO_DOCS = "https://cybertec-postgresql.github.io/CYBERTEC-pg-operator";

/** A line range of the operator's code at v0.9.2, e.g. `operatorCode("pkg/cluster/sync.go", 1748, 1827)`. */
export function operatorCode(path: string, from: number, to?: number): string {
  return `${OPERATOR}/${path}#L${from}${to === undefined ? "" : `-L${to}`}`;
}

/** A line range of the CPO container images' scripts at 18.3-1. */
export function containerCode(path: string, from: number, to?: number): string {
  return `${CONTAINER}/${path}#L${from}${to === undefined ? "" : `-L${to}`}`;
}
