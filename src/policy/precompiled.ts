// The BackupPolicy schema's validator for the full rule and defaulter catalog, compiled ahead of time.
//
// Start-up (issue 13): compiling the generated schema with ajv takes ~175-200 ms, which every `validate --policy`
// run paid. In the npm bundle and the single executable, scripts/build-cli.ts (precompiledPolicyPlugin) replaces
// this module with ajv's standalone code for policySchema(allRules, allDefaulters), built from the same sources in
// the same build, with the options src/policy/validate.ts compiles with; src/policy/validate.ts uses it for that
// catalog and compiles any other (tests pass their own rule lists). From src/ (tsc output, tests) it is undefined
// and the schema is compiled at run time as before.
import type { ValidateFunction } from "ajv/dist/2020.js";

export const precompiledPolicyValidator: ValidateFunction | undefined = undefined;
