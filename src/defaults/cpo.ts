import type { Defaulter } from "../engine/types.ts";

export const cpoDefaulters: Defaulter<any>[] = [];
