#!/usr/bin/env -S node --max-semi-space-size=1 --no-opt
// Entry point installed as `counterpay`; the compiled CLI lives in dist/ (built by `npm install`).
//
// The V8 options above are how the service runs (systemd starts this file): a terminal is idle
// most of the time and does little JS work per sale, so it trades a little CPU for a steady,
// small resident size. Measured on `counterpay run` through 300 sales (Node 20, x64):
// --max-semi-space-size=1 keeps the young generation at 1 MB instead of growing to 16 MB
// (about 10 MB less resident), and --no-opt leaves out the optimizing compiler, whose code
// otherwise grows with every hot function it compiles (about 3 KB per sale over the first
// thousand sales); idle CPU unchanged. `node bin/counterpay.js` (npm start) runs without them.
import { main } from '../dist/src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
