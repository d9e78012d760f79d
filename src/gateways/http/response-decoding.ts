import type { z } from 'zod';
import { CodedError } from '../../platform/coded-error.js';
import { firstIssue } from '../../platform/schema-issue.js';

/** A response that does not match the documented shape; each client reports it as invalid_response. */
export class DecodeError extends CodedError {
  constructor(problem: string) {
    super('decode_failed', problem);
  }
}

/** Validates `json` against `schema`; the first problem becomes a DecodeError naming where it is. */
export function parseResponse<T>(schema: z.ZodType<T, unknown>, json: unknown): T {
  const result = schema.safeParse(json);
  if (!result.success) throw new DecodeError(firstIssue(result.error));
  return result.data;
}
