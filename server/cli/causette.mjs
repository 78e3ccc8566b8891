#!/usr/bin/env node
// The `causette` command. The code is TypeScript, loaded through tsx so that a checkout runs
// without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./run-cli.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env);
