// The parts of @kubernetes/client-node that pg-backup-guard uses, and the only module of src/ that imports its code
// (others import its types only). Everything that talks to a cluster loads it with `await import()`.
//
// Memory (issue 13): importing the package loads every generated API and model (~85 MiB RSS on Node 24). Bundled
// from this module alone (scripts/build-cli.ts writes dist/kube.mjs, and the single executable inlines it),
// esbuild keeps only what these five exports reach: ~40 MiB less at start-up (bench/RESULTS.md "Webhook at
// cluster scale"). A name used elsewhere in src/ must be added here; the build then keeps it too.
export { CoreV1Api, CustomObjectsApi, KubeConfig, ListWatch, Watch } from "@kubernetes/client-node";
