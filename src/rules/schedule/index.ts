// The schedule rules shared by every operator with backup schedules (their sources: src/operators/<name>/schedules.ts).
import { rule as syntax } from "./syntax.ts";
import { rule as neverFires } from "./never-fires.ts";
import { rule as tooFrequent } from "./too-frequent.ts";
import { rule as tooRare } from "./too-rare.ts";
import type { CatalogRule } from "../define.ts";

export const scheduleRules: CatalogRule[] = [syntax, neverFires, tooFrequent, tooRare];
