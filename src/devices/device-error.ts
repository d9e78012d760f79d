import { CodedError } from '../platform/coded-error.js';

/**
 * Every error a device adapter reports. `code` is stable (callers branch on it, the UI maps it to
 * one short line); `device` says which port raised it; `retryable` tells the caller whether the
 * same operation may succeed later (printer offline, scanner unplugged) or never will (bad config).
 */
export class DeviceError extends CodedError {
  readonly device: DeviceKind;
  readonly retryable: boolean;

  constructor(device: DeviceKind, code: string, message: string, options?: ErrorOptions & { retryable?: boolean }) {
    super(code, message, options);
    this.device = device;
    this.retryable = options?.retryable ?? false;
  }
}

export type DeviceKind = 'scanner' | 'keypad' | 'display' | 'printer' | 'buzzer';

/** Turns anything thrown into a message, without assuming it is an Error. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
}
