import { DeviceError } from '../device-error.js';

/** A printer failure; `ambiguous` when part of the job may have been printed. */
export class PrinterError extends DeviceError {
  readonly ambiguous: boolean;
  readonly jobId: string | null;

  constructor(code: string, message: string, options: ErrorOptions & { retryable?: boolean; ambiguous?: boolean; jobId?: string | null } = {}) {
    super('printer', code, message, { cause: options.cause, retryable: options.retryable ?? (code !== 'printer_permission_denied' && code !== 'printer_job_already_sent') });
    this.ambiguous = options.ambiguous ?? false;
    this.jobId = options.jobId ?? null;
  }
}

/** Maps a Node system error from opening or writing a device to a printer error code. */
export function printerErrorFromSystem(error: unknown, what: string, jobId: string | null, started: boolean): PrinterError {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
    case 'ENODEV':
    case 'ENXIO':
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return started
        ? new PrinterError('printer_connection_lost', `${what}: connection lost during the job (${message})`, { cause: error, ambiguous: true, jobId })
        : new PrinterError('printer_offline', `${what} is offline (${message})`, { cause: error, jobId });
    case 'ENOSPC':
      return new PrinterError('printer_paper_out', `${what}: paper out`, { cause: error, ambiguous: started, jobId });
    case 'EACCES':
    case 'EPERM':
      return new PrinterError('printer_permission_denied', `${what}: permission denied (add the service user to group lp, or see hardware/udev)`, { cause: error, jobId });
    case 'EPIPE':
    case 'ECONNRESET':
    case 'EIO':
      return new PrinterError(started ? 'printer_connection_lost' : 'printer_offline', `${what}: ${message}`, { cause: error, ambiguous: started, jobId });
    default:
      return new PrinterError('printer_write_failed', `${what}: ${message}`, { cause: error, ambiguous: started, jobId });
  }
}
