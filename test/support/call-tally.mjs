// Preloaded (`node --import`) into a `counterpay run` under test: counts every Intl object and
// every locale-sensitive method the process creates or calls, and every gc() it asks for (with
// --expose-gc), and writes the counts as JSON to the file named by COUNTERPAY_TEST_CALL_TALLY at
// each new count (written whole: to a temporary file renamed over it, so a test that reads it
// while a count is being written never sees it empty or cut short). The first Intl formatter makes about 8 MB of ICU's data resident for good
// (docs/performance.md), so the service path must create none; the service collects its garbage
// once per transition to idle. This is how a test sees both from outside.
import { renameSync, writeFileSync } from 'node:fs';
import process from 'node:process';

const file = process.env['COUNTERPAY_TEST_CALL_TALLY'];
const tally = {};
const publish = () => {
  if (file === undefined) return;
  writeFileSync(`${file}.tmp`, JSON.stringify(tally));
  renameSync(`${file}.tmp`, file);
};
const count = (name) => {
  tally[name] = (tally[name] ?? 0) + 1;
  publish();
};
publish();

for (const name of ['DateTimeFormat', 'NumberFormat', 'PluralRules', 'Collator', 'RelativeTimeFormat', 'ListFormat', 'DisplayNames', 'Segmenter']) {
  const original = Intl[name];
  Intl[name] = new Proxy(original, {
    construct(target, args, newTarget) {
      count(name);
      return Reflect.construct(target, args, newTarget === Intl[name] ? target : newTarget);
    },
    apply(target, thisArg, args) {
      count(name);
      return Reflect.apply(target, thisArg, args);
    },
  });
}
for (const [owner, proto, names] of [
  ['Date', Date.prototype, ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString']],
  ['Number', Number.prototype, ['toLocaleString']],
  ['BigInt', BigInt.prototype, ['toLocaleString']],
  ['String', String.prototype, ['localeCompare']],
]) {
  for (const method of names) {
    const original = proto[method];
    proto[method] = function (...args) {
      count(`${owner}.${method}`);
      return original.apply(this, args);
    };
  }
}

const gc = globalThis.gc;
if (typeof gc === 'function') {
  globalThis.gc = (...args) => {
    count('gc');
    return gc(...args);
  };
}
