import { CodedError } from '../platform/coded-error.js';

/**
 * A metrics listener that could not start. Codes: `metrics_port_in_use` (another process, or a
 * second terminal on this machine, holds HOST:PORT), `metrics_address_unavailable` (no such
 * address on this machine), `metrics_listen_failed` (anything else: permission, ...). Never
 * fatal: the terminal takes payments without its metrics.
 */
export class MetricsError extends CodedError {
  readonly host: string;
  readonly port: number;

  constructor(code: 'metrics_port_in_use' | 'metrics_address_unavailable' | 'metrics_listen_failed', host: string, port: number, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.host = host;
    this.port = port;
  }
}
