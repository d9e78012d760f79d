import { describe, expect, it } from 'vitest';
import { Agent, request } from './undici-core.js';

describe('undici core loaded on its own', () => {
  it('is the very Agent class and request method the undici package exports', async () => {
    const undici = await import('undici');
    expect(Agent).toBe(undici.Agent);
    expect(request).toBe(undici.Dispatcher.prototype.request);
  });
});
