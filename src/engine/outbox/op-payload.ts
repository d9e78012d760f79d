import { z } from 'zod';
import type { $ZodType } from 'zod/v4/core';
import { firstIssue } from '../../platform/schema-issue.js';

/**
 * The schema of one op kind's payload. Outbox rows outlive crashes and upgrades (and can be
 * edited by hand), so a payload is read through its kind's schema every time a row is taken up
 * for work, never cast. Schemas stay plain objects of plain fields: what an older version wrote
 * must still read.
 */
export type PayloadSchema<P> = $ZodType<P>;

/** The payload as its schema read it, or why it does not read (`where: what`). */
export type PayloadReading<P> = { readonly ok: true; readonly payload: P } | { readonly ok: false; readonly problem: string };

export function readPayload<P>(schema: PayloadSchema<P>, payload: unknown): PayloadReading<P> {
  const result = z.safeParse(schema, payload);
  return result.success ? { ok: true, payload: result.data } : { ok: false, problem: firstIssue(result.error) };
}
