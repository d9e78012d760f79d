import type { Command } from './command.js';

/**
 * Every sub-command, loaded lazily so `counterpay run` does not pay for the emulator's code at
 * start-up. Add a command by adding one line here and one file under commands/.
 */
export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  demo: {
    summary: 'The full terminal on the built-in emulators with simulated devices and customers (npm start)',
    load: async () => (await import('./commands/demo.js')).demoCommand,
  },
  run: {
    summary: 'Run the terminal: journal, Paysera engine, devices and keypad screens',
    load: async () => (await import('./commands/run.js')).runCommand,
  },
  wallet: {
    summary: 'Send one signed request to the Paysera Wallet API and print the answer',
    load: async () => (await import('./commands/wallet.js')).walletCommand,
  },
  preview: {
    summary: 'Render printed ESC/POS bytes (a file:DIR job) to a PNG',
    load: async () => (await import('./commands/preview.js')).previewCommand,
  },
  doctor: { summary: 'Check config, database, clock, Paysera, Centrapay, POS and devices; one line per check', load: async () => (await import('./commands/doctor.js')).doctorCommand },
  'print-tables': {
    summary: 'Print the table cards, or write them and PNG previews to a directory',
    load: async () => (await import('./commands/print-tables.js')).printTablesCommand,
  },
  queue: {
    summary: 'List open sales, pending operations and prints to check (needs_human first); retry, resolve or requeue one',
    load: async () => (await import('./commands/queue.js')).queueCommand,
  },
  report: {
    summary: 'The day report from the journal (totals per method, declined, cancelled, needs_human); stdout, PNG or printer',
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  backup: {
    summary: 'Copy the journal to a file while the terminal runs (consistent, integrity-checked)',
    load: async () => (await import('./commands/backup.js')).backupCommand,
  },
  restore: {
    summary: 'Put a backup in place of the journal (terminal stopped; the old journal kept aside)',
    load: async () => (await import('./commands/restore.js')).restoreCommand,
  },
  logs: {
    summary: 'The service log (journald) as readable lines; -f follows it',
    load: async () => (await import('./commands/logs.js')).logsCommand,
  },
  emulator: {
    summary: 'Serve the Paysera Wallet, Centrapay and Paysera POS emulators (with /_sim/ and fault injection) on loopback',
    load: async () => (await import('./commands/emulator.js')).emulatorCommand,
  },
};
