import type { z } from 'zod';

/** The parts of a zod 4 schema definition this walk reads. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
  valueType?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/**
 * The field names the schema knows for the object at `path` (as a zod issue gives it), for
 * suggesting the one a misspelt field meant. Wrappers (optional, default, pipes) are looked
 * through; a union (the device drivers) offers the fields of every option.
 */
export function knownFieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): Set<string> {
  let current: z.ZodType[] = [schema];
  for (const segment of path) current = current.flatMap((s) => unwrap(s)).flatMap((s) => child(s, segment));
  const names = new Set<string>();
  for (const s of current.flatMap((c) => unwrap(c))) {
    const def = defOf(s);
    if (def.type === 'object' && def.shape) for (const key of Object.keys(def.shape)) names.add(key);
  }
  return names;
}

function unwrap(schema: z.ZodType): z.ZodType[] {
  const def = defOf(schema);
  if (def.innerType !== undefined) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return unwrap(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap((o) => unwrap(o));
  return [schema];
}

function child(schema: z.ZodType, segment: PropertyKey): z.ZodType[] {
  const def = defOf(schema);
  if (def.type === 'object' && def.shape && typeof segment === 'string') {
    const field = def.shape[segment];
    return field === undefined ? [] : [field];
  }
  if (def.type === 'array' && def.element !== undefined) return [def.element];
  if (def.type === 'record' && def.valueType !== undefined) return [def.valueType];
  return [];
}
