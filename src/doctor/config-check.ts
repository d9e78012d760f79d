import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { fail, ok, warn, type CheckLine, type DoctorCheck } from './doctor-check.js';

/**
 * Loads the config exactly as `counterpay run` does, so the errors are the same one-line
 * "file: field: problem" messages; warnings (a secret file readable by others) become WARN lines.
 */
export const configCheck: DoctorCheck = {
  name: 'config',
  needsConfig: false,
  async run(ctx): Promise<CheckLine[]> {
    try {
      ctx.loaded = loadConfig(ctx.configPath);
    } catch (error) {
      if (error instanceof ConfigError) return [fail('config', `${error.message} (fix the file and run doctor again)`)];
      throw error;
    }
    return [ok('config', ctx.configPath), ...ctx.loaded.warnings.map((w) => warn('config', w))];
  },
};
