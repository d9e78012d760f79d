import type { RouteHandler } from './exchange.js';

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly service: string;
  readonly handler: RouteHandler;
}

interface Fallback {
  readonly prefix: string;
  readonly service: string;
  readonly handler: RouteHandler;
}

export interface RouteMatch {
  readonly handler: RouteHandler;
  readonly params: Readonly<Record<string, string>>;
  /** Which mounted service answers, for the request log. */
  readonly service: string;
}

/**
 * Method + path routing for every mounted service. Patterns are literal segments and `:name`
 * parameters (`/rest/v1/spot/:id/check-in`); parameters are percent-decoded. A fallback catches
 * everything under a prefix that no route matched, so a service can answer its own 404s (after
 * authenticating, as the real API does).
 */
export class Router {
  private readonly routes: Route[] = [];
  private readonly fallbacks: Fallback[] = [];

  add(service: string, method: string, pattern: string, handler: RouteHandler): void {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), service, handler });
  }

  fallback(service: string, prefix: string, handler: RouteHandler): void {
    this.fallbacks.push({ prefix, service, handler });
    this.fallbacks.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  match(method: string, path: string): RouteMatch | undefined {
    const segments = splitPath(path);
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const params = matchSegments(route.segments, segments);
      if (params !== undefined) return { handler: route.handler, params, service: route.service };
    }
    const fallback = this.fallbacks.find((f) => path.startsWith(f.prefix));
    return fallback === undefined ? undefined : { handler: fallback.handler, params: {}, service: fallback.service };
  }

  /** The service a path belongs to, when no route matches it (for logging refusals). */
  serviceFor(path: string): string | undefined {
    return this.fallbacks.find((f) => path.startsWith(f.prefix))?.service;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s, i) => i > 0 || s !== '');
}

function matchSegments(pattern: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] ?? '';
    const a = actual[i] ?? '';
    if (p.startsWith(':')) {
      if (a === '') return undefined;
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p !== a) {
      return undefined;
    }
  }
  return params;
}
