import { isPlainObject, parseJsonBody, type EmulatorRequest } from './exchange.js';
import { badParameters, HttpError } from './http-error.js';

/** A /_sim/ request body: a JSON object, or {} when empty. */
export function simBody(request: EmulatorRequest): Record<string, unknown> {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw new HttpError(400, 'invalid_request', 'Body is not valid JSON');
  if (parsed.value === undefined) return {};
  if (!isPlainObject(parsed.value)) throw badParameters('Body must be a JSON object');
  return parsed.value;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw badParameters(`${name} must be a non-empty string`);
  return value;
}

export function optionalInt(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw badParameters(`${name} must be an integer`);
  return value;
}
