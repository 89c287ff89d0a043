import type { Defaulter } from "../engine/types.ts";

export const cnpgDefaulters: Defaulter<any>[] = [];
