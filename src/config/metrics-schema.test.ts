import { describe, expect, it } from 'vitest';
import { metricsSchema, parseListenAddress } from './metrics-schema.js';

describe('metrics config', () => {
  it('reads HOST:PORT, IPv6 in brackets', () => {
    expect(parseListenAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress('localhost:1')).toEqual({ host: 'localhost', port: 1 });
    for (const bad of ['9464', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', '::1:9464', 'http://127.0.0.1:9464', '127.0.0.1:94a4', '[nothost]:80']) {
      expect(parseListenAddress(bad), bad).toBeUndefined();
    }
  });

  it('accepts loopback; refuses another address unless allowNonLoopback, naming the field and the way out', () => {
    expect(metricsSchema.parse({ listen: '127.0.0.1:9464' })).toEqual({ listen: '127.0.0.1:9464', allowNonLoopback: false });
    expect(metricsSchema.safeParse({ listen: '[::1]:9464' }).success).toBe(true);
    for (const exposed of ['0.0.0.0:9464', '192.168.1.20:9464', '[::]:9464', 'pi.local:9464']) {
      const result = metricsSchema.safeParse({ listen: exposed });
      expect(result.success, exposed).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['listen']);
      expect(result.error?.issues[0]?.message).toMatch(/metrics\.allowNonLoopback: true/);
      expect(metricsSchema.safeParse({ listen: exposed, allowNonLoopback: true }).success, exposed).toBe(true);
    }
  });

  it('is strict: an unknown key or a bad listen value is an error', () => {
    expect(metricsSchema.safeParse({ listen: '127.0.0.1:9464', port: 9464 }).success).toBe(false);
    expect(metricsSchema.safeParse({ listen: '9464' }).error?.issues[0]?.message).toMatch(/HOST:PORT/);
    expect(metricsSchema.safeParse({}).success).toBe(false);
  });
});
