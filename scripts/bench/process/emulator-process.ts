import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from './service-launch.js';

/**
 * `counterpay emulator` in a process of its own (so the terminal measured next to it carries
 * none of its state), driven through its documented /_sim/ endpoints: the customers' side.
 */
export class EmulatorProcess {
  private child: ChildProcess | undefined;
  url = '';

  async start(seed: number): Promise<void> {
    const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0', '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (\S+)/.exec(out);
        if (match?.[1] !== undefined) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`bench: the emulator exited (${code}) before listening`)));
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    await exited;
  }

  private async sim<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}/_sim/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`bench: ${method} /_sim/${path}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  checkIn(code: string, customer: string): Promise<{ id: number; status: string }> {
    return this.sim('POST', 'check-in', { code, customer });
  }

  spot(id: number): Promise<{ id: number; status: string }> {
    return this.sim('GET', `spots/${id}`);
  }

  async pendingOrderKey(spotId: number): Promise<string | undefined> {
    const { orders } = await this.sim<{ orders: Array<{ spot_id?: number; status: string; transaction_key: string }> }>('GET', 'orders');
    return orders.find((o) => o.status === 'pending' && o.spot_id === spotId)?.transaction_key;
  }

  reserve(key: string, customer: string): Promise<unknown> {
    return this.sim('POST', `transactions/${encodeURIComponent(key)}/reserve`, { customer });
  }

  async issueCode(balance: number): Promise<string> {
    return (await this.sim<{ code: string }>('POST', 'reservation-codes', { balance })).code;
  }
}
