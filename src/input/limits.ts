// Bounds on what the CLI reads, so hostile or accidental input fails with a message instead of a hang.

/** Largest file (or stdin) the CLI reads. Rendered Helm charts with CRDs stay far below. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
/** YAML alias expansions per document (billion-laughs guard); the `yaml` library's own default. */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting accepted in a document. CRD schemas reach ~40; anything near this is not a manifest. */
export const MAX_DEPTH = 256;
/** Files a directory walk may yield, so `validate /` fails fast instead of reading a whole disk. */
export const MAX_FILES = 20_000;
