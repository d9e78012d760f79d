import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait-for.js';
import { FakeClock } from '../../platform/fake-clock.js';
import { StdinScanner } from './stdin-scanner.js';
import { FakeScanner } from './fake-scanner.js';

describe('StdinScanner', () => {
  it('turns typed lines into classified scans and ends on end of input', async () => {
    const input = new PassThrough();
    const scanner = new StdinScanner({ input, clock: new FakeClock(), classifier: { locationId: 3 } });
    const kinds: string[] = [];
    scanner.onScan((s) => kinds.push(`${s.classification.kind}:${s.text}`));
    await scanner.start();
    input.write('PAYSERA*3:T1\n12345678901234567890\r\n');
    input.end('no newline at the end');
    await waitFor(() => scanner.state() === 'disconnected', 'the end of input');
    expect(kinds).toEqual(['paysera-spot:PAYSERA*3:T1', 'paysera-reservation:12345678901234567890', 'unknown:no newline at the end']);
    expect(scanner.state()).toBe('disconnected');
    await scanner.stop();
    expect(scanner.state()).toBe('stopped');
  });
});

describe('FakeScanner', () => {
  it('applies the same checks as the device path', async () => {
    const scanner = new FakeScanner(new FakeClock(), { locationId: 3 }, 32);
    const texts: string[] = [];
    const rejects: string[] = [];
    const problems: string[] = [];
    scanner.onScan((s) => texts.push(s.text));
    scanner.onReject((r) => rejects.push(`${r.kind}:${r.lengthBytes}`));
    scanner.onProblem((p) => problems.push(p.code));
    scanner.scan('ignored before start');
    await scanner.start();
    scanner.scan('PAYSERA*3:T1');
    scanner.scan('x'.repeat(1000));
    scanner.scan(Buffer.from([0xc3, 0x28]));
    scanner.unplug();
    expect(texts).toEqual(['PAYSERA*3:T1']);
    expect(rejects).toEqual(['too_long:1000', 'invalid_utf8:2']);
    expect(problems).toEqual(['scanner_disconnected']);
  });
});
