/**
 * Which log fields are secret. Paths are pino redact paths: any field with one of these names,
 * at the top level or nested up to three levels, is replaced by "[redacted]" before it is
 * written. The values themselves are also scrubbed from every string (see SecretScrubber), so a
 * secret that leaks into a message or an error text is caught too.
 */
export const SECRET_FIELD_NAMES = [
  'macKey',
  'mac_key',
  'apiKey',
  'token',
  'authorization',
  'Authorization',
  'x-api-key',
  'X-Api-Key',
  'password',
] as const;

export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const name of SECRET_FIELD_NAMES) {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    const join = (prefix: string): string => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.push(key.startsWith('[') ? key.slice(2, -2) : key);
    paths.push(join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}

/**
 * Replaces every occurrence of a known secret value in a string. Secrets shorter than 6
 * characters are not scrubbed: they would mangle ordinary text and are not credentials anyway.
 */
export class SecretScrubber {
  private readonly secrets: string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = [...new Set([...secrets].filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.secrets.length > 0;
  }

  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    }
    return out;
  }
}
