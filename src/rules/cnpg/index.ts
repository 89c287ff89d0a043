import type { Rule } from "../../engine/types.ts";

export const cnpgRules: Rule<any>[] = [];
