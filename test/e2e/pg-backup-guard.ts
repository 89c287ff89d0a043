// Runs the CLI from src/ (not dist/), so the e2e suite tests the working tree without a build step.
import { main } from "../../src/cli/main.ts";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
