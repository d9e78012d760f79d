import type { PrettyOptions } from 'pino-pretty';

/** Fields every line has or nobody reading at a terminal needs; shown by pino-pretty itself or dropped. */
const SKIPPED = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/**
 * One log entry as one readable line after its time and level: the message, then its fields as
 * key=value, an error as its message and code only. The stack stays in the JSON the service
 * writes for journald; at a terminal a device that is missing is one line, not a stack trace
 * printed twice (the error and its cause).
 */
export function readableMessage(log: Record<string, unknown>): string {
  const parts: string[] = [typeof log['msg'] === 'string' ? log['msg'] : ''];
  for (const [key, value] of Object.entries(log)) {
    if (SKIPPED.has(key) || value === undefined) continue;
    parts.push(`${key}=${key === 'err' ? errorText(value) : valueText(value)}`);
  }
  return parts.filter((p) => p !== '').join(' ');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

function errorText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return valueText(value);
  const { message, code } = value as { message?: unknown; code?: unknown };
  const text = typeof message === 'string' ? message : JSON.stringify(value);
  return JSON.stringify(typeof code === 'string' && !text.includes(code) ? `${text} [${code}]` : text);
}

/** pino-pretty's options for readable lines: time, level, then readableMessage, one line each. */
export function readableOptions(colorize: boolean): PrettyOptions {
  return {
    colorize,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname',
    hideObject: true,
    messageFormat: (log) => readableMessage(log),
  };
}
