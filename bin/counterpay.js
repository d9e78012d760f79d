#!/usr/bin/env node
// Entry point installed as `counterpay`; the compiled CLI lives in dist/ (built by `npm install`).
//
// No V8 options here: the service's (--max-semi-space-size=1 --no-opt) are in the systemd unit's
// ExecStart, for `counterpay run` alone. Without the optimizing compiler, rendering PNG previews
// (`print-tables --out`, `report --out`) takes about 13 times as long; see systemd/README.md.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
