import type { Server } from 'node:http';

/** Closes a test's HTTP server, dropping kept-alive connections first (they would hold close() open). */
export async function closeServer(server: Server | undefined): Promise<void> {
  if (server === undefined) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
