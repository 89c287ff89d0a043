// The cron layer alone, before and after issue 13: for every schedule of a mix, its gaps (what schedule-too-frequent,
// -too-rare, -never-fires and cpo-incremental-interval ask) and, for every pair of one CPO resource (what
// cpo-schedule-collision asks, acrossRepos on), the first common minute. "before" is the old day-by-day evaluator
// (kept as the test oracle in test/cron/reference.ts), "after" the month-mask evaluator, both on the same parsed
// schedules (parsed outside the timed part), in the same process, with empty caches.
//
//   node_modules/.bin/node bench/cron.ts [--resources N] [--mix realistic|worst]
import { parseArgs } from "node:util";
import { parseManifestsFast } from "../src/input/fast-parse.ts";
import { scheduleSourcesOf } from "../src/operators/index.ts";
import { parseSchedule, resetScheduleCaches, firstCommonMinute, type CronSchedule, type Dialect } from "../src/cron/index.ts";
import { computeIntervals } from "../src/cron/analysis.ts";
import { referenceFirstCommonMinute, referenceIntervals } from "../test/cron/reference.ts";
import { mixByName } from "./mixes.ts";

const { values } = parseArgs({ options: { resources: { type: "string" }, mix: { type: "string", multiple: true } } });
const N = Number(values.resources ?? 10_000);
const NOW = new Date("2026-01-15T12:00:00Z");

for (const name of values.mix ?? ["realistic", "worst"]) {
  const mix = mixByName(name, N);
  const parsed = parseManifestsFast(mix.input, "bench.yaml");
  if (!parsed) throw new Error("parse");
  resetScheduleCaches();
  const texts: { dialect: Dialect; text: string }[][] = [];
  for (const o of parsed.objects) {
    const list = scheduleSourcesOf(o.object).flatMap((s) => (s.text === null ? [] : [{ dialect: s.dialect, text: s.text }]));
    if (list.length > 0) texts.push(list);
  }
  const run = (gaps: (s: CronSchedule) => unknown, common: (a: CronSchedule, b: CronSchedule, from: Date) => unknown) => {
    // Fresh parsed objects (nothing compiled or memoised yet), parsed outside the timed part: only analysis is timed.
    resetScheduleCaches();
    const lists = texts.map((list) => list.flatMap((t) => {
      const p = parseSchedule(t.text, t.dialect);
      return p.ok ? [p.schedule] : [];
    }));
    const t0 = performance.now();
    let pairs = 0;
    for (const schedules of lists) {
      for (const s of schedules) gaps(s);
      // As cpo-schedule-collision: `@every` longer than a minute counts from the CronJob's creation, not compared.
      const cpo = schedules.filter((s) => s.dialect === "kubernetes" && (s.everySeconds ?? 0) <= 60);
      for (let i = 0; i < cpo.length; i++) {
        for (let j = i + 1; j < cpo.length; j++) {
          common(cpo[i]!, cpo[j]!, NOW);
          pairs++;
        }
      }
    }
    return { ms: performance.now() - t0, pairs };
  };
  // Per distinct schedule once (as the WeakMap memo in cron/index.ts does), for both.
  const memo = <T>(fn: (s: CronSchedule) => T) => {
    const seen = new WeakMap<CronSchedule, T>();
    return (s: CronSchedule) => {
      if (!seen.has(s)) seen.set(s, fn(s));
      return seen.get(s);
    };
  };
  run(memo(computeIntervals), firstCommonMinute); // warm-up
  const after = run(memo(computeIntervals), firstCommonMinute);
  const before = run(memo(referenceIntervals), referenceFirstCommonMinute);
  const count = texts.reduce((n, l) => n + l.length, 0);
  console.log(
    `${name} (${N} resources: ${count} schedules, ${after.pairs} pairs): before ${before.ms.toFixed(0)} ms, after ${after.ms.toFixed(0)} ms, ` +
      `${(before.ms / after.ms).toFixed(0)}x faster`,
  );
}
