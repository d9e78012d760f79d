/** What a schema library reports when a value does not read (zod's error has this shape). */
export interface SchemaIssues {
  readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[];
}

/**
 * The first problem a schema found, as `where: what`, e.g. `amountMinor: Invalid input: expected
 * int, received string`; `(root)` when the value itself is wrong. Structural, so every module
 * that checks stored or received data words its problems alike without platform/ knowing zod.
 */
export function firstIssue(error: SchemaIssues): string {
  const first = error.issues[0];
  const where = first === undefined || first.path.length === 0 ? '(root)' : first.path.map(String).join('.');
  return `${where}: ${first?.message ?? 'invalid'}`;
}
