import assert from "node:assert/strict";
import { parseSchedule, type CronSchedule, type Dialect } from "../../src/cron/index.ts";

export function parsed(text: string, dialect: Dialect): CronSchedule {
  const r = parseSchedule(text, dialect);
  assert.ok(r.ok, `${JSON.stringify(text)} should parse in ${dialect}: ${r.ok ? "" : r.error}`);
  return r.schedule;
}

export function parseError(text: string, dialect: Dialect): string {
  const r = parseSchedule(text, dialect);
  assert.ok(!r.ok, `${JSON.stringify(text)} should not parse in ${dialect}`);
  return r.error;
}

export const DAY = 86_400;
