import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';

/**
 * undici's Agent and its `request` method, loaded on their own: the package's index also loads
 * fetch, WebSocket, EventSource, the cache and the mock layers, none of which a terminal uses.
 * Measured on `counterpay run` (Node 20, x64): about 15 MB less resident memory, most of it heap
 * the index allocates at load.
 *
 * The paths are the modules the index itself re-exports (as `Agent`, and as the `request` it
 * puts on Dispatcher.prototype); undici has no `exports` map, and a test checks both are the
 * very ones the index gives, so an undici that moves them fails the suite, not a till.
 */
const load = createRequire(import.meta.url);

export const Agent = load('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;

/** Dispatcher.prototype.request: call it with the dispatcher as `this`. */
export const request = load('undici/lib/api/api-request.js') as Dispatcher['request'];
