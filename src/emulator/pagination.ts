import { badParameters } from './http-error.js';

export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export interface PageMetadata {
  total: number;
  offset: number;
  limit: number;
}

export const MAX_LIMIT = 200;
/** The documented maximum is 200; the default is not documented, 20 is our choice. */
export const DEFAULT_LIMIT = 20;

/** Reads `limit` (1..200) and `offset` (>= 0); anything else is 400 invalid_parameters. */
export function parsePage(query: URLSearchParams): Page {
  return {
    limit: intParam(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
    offset: intParam(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

export function paginate<T>(items: readonly T[], page: Page): { items: T[]; metadata: PageMetadata } {
  return {
    items: items.slice(page.offset, page.offset + page.limit),
    metadata: { total: items.length, offset: page.offset, limit: page.limit },
  };
}

export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw badParameters(`Parameter ${name} must be an integer`);
  const value = Number(raw);
  if (value < min || value > max) throw badParameters(`Parameter ${name} must be between ${min} and ${max}`);
  return value;
}
