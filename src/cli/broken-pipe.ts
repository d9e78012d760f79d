/**
 * `counterpay doctor | head -1`, `counterpay queue | grep -q NEEDS`: once the reader has what it
 * wants it closes the pipe, and the next write fails with EPIPE. Unhandled, that is an 'error'
 * event on stdout and a stack trace; a Unix tool just stops. So: on EPIPE, exit at once with the
 * status the command had set so far (0 unless it already failed), writing nothing more.
 *
 * Only for the process's own stdout and stderr; commands write through CliIo and never see it.
 */
export function exitQuietlyOnBrokenPipe(
  streams: ReadonlyArray<NodeJS.WritableStream>,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  for (const stream of streams) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
        return;
      }
      // Anything else on a standard stream is as fatal as it was without this listener.
      throw error;
    });
  }
}
