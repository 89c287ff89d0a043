import type { Rule } from "../../engine/types.ts";

export const cpoRules: Rule<any>[] = [];
