import { CodedError } from '../platform/coded-error.js';

/**
 * A configuration problem, reported as one line naming the file, the field and what is wrong.
 * Codes: config_not_found, config_unreadable, config_invalid_json, config_invalid.
 */
export class ConfigError extends CodedError {
  readonly file: string;
  readonly field: string | undefined;

  constructor(code: string, file: string, field: string | undefined, problem: string, options?: ErrorOptions) {
    super(code, `${file}${field ? `: ${field}` : ''}: ${problem}`, options);
    this.file = file;
    this.field = field;
  }
}
