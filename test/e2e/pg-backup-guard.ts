// Runs the CLI from src/ (not dist/), so the e2e suite tests the working tree without a build step; with
// PG_BACKUP_GUARD_E2E_BUNDLE=1 (.ci/run, after `npm test` built it) it runs the shipped bundle instead: dist/cli.mjs,
// which loads the cluster client from dist/kube.mjs (scripts/build-cli.ts), so that the real API server judges that.
const target = process.env.PG_BACKUP_GUARD_E2E_BUNDLE === "1" ? new URL("../../dist/cli.mjs", import.meta.url).href : new URL("../../src/cli/main.ts", import.meta.url).href;
const { main } = (await import(target)) as typeof import("../../src/cli/main.ts");

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
