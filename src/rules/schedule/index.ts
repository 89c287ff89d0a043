import type { Rule } from "../../engine/types.ts";

export const scheduleRules: Rule<any>[] = [];
