#!/usr/bin/env node
/**
 * The entry of `npm run users`: plain Node, so that it runs within a few hundred milliseconds,
 * long before scripts/users.ts and its imports (the AWS SDK, argon2, dynalite) have loaded.
 *
 * What is typed while the CLI starts must not show in clear: an operator who starts typing the
 * password before "New password:" appears would see it echoed. So when stdin is a terminal and
 * the command line asks for a password at a prompt (create or set-password without
 * --password-stdin), the terminal stops echoing here, first thing (raw mode: what is typed waits,
 * unseen, and becomes the start of the first entry). scripts/users.ts then makes the exact call
 * from its parsed arguments, and echoes again when no prompt follows; Node restores the
 * terminal when the process exits. What is typed before Node starts is echoed by the terminal
 * before anything here runs: the prompt erases its line (scripts/lib/password-input.ts).
 */
'use strict';
const argv = process.argv.slice(2);
const asks = argv.includes('create') || argv.includes('set-password');
const not = ['--password-stdin', '--help', '-h'].some((flag) => argv.includes(flag));
if (process.stdin.isTTY && asks && !not) process.stdin.setRawMode(true);

require('tsx/cjs/api').require('./users.ts', __filename).runAsScript();
