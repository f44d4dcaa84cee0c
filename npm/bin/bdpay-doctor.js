#!/usr/bin/env node
// `npx bdpay-doctor ...`: the native CLI's offline commands, compiled to WebAssembly, on Node's
// file system and streams. Same flags, formats and exit codes; probe, simulate, audit and
// keys gen say they need the native build.
import { cli } from "../lib/index.js";

try {
  process.exitCode = cli(process.argv.slice(2));
} catch (e) {
  process.stderr.write(
    `bdpay-doctor: internal error in the WebAssembly engine: ${e && e.message ? e.message : e}\n` +
      "please report it with the command that caused it\n",
  );
  process.exitCode = 2;
}
