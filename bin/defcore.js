#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm ci` (prepare) or `npm run build`.
import { main } from '../dist/src/cli/main.js';
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // An interrupted run stops waiting for a hanging cloud; requests it gave up on must not
  // keep the process alive. Quit once the output is flushed.
  if (code === 130) process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
