#!/usr/bin/env node
// The only entry point that may end the process: everything below returns an exit code.
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
