// Every default the mutating side can inject, in the order they run.
import type { Defaulter } from "../engine/types.ts";
import { cnpgDefaulters } from "./cnpg.ts";
import { cpoDefaulters } from "./cpo.ts";

export const allDefaulters: readonly Defaulter[] = [...cnpgDefaulters, ...cpoDefaulters] as Defaulter[];

export const defaulterIds: ReadonlySet<string> = new Set(allDefaulters.map((d) => d.meta.id));
