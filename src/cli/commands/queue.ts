import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CodedError } from '../../platform/coded-error.js';
import { openForReading, openForWriting, systemJournalEnvironment, type JournalEnvironment } from '../../queue/journal-access.js';
import { QueueActionError, requeuePrint, resolveRefund, resolveSale, retryOp } from '../../queue/queue-actions.js';
import { buildQueueView, formatQueueLine, formatQueueSummary } from '../../queue/queue-view.js';
import { DEFAULT_DB_FILE, type Store } from '../../store/store.js';
import { loadConfigForCommand } from '../cli-config.js';
import { ExitCode, type CliIo, type Command } from '../command.js';

const USAGE =
  'usage: counterpay queue [--config PATH] [--retry OP_ID | --resolve SALE_ID --paid|--not-paid --reason TEXT | --resolve REFUND_ID --refunded|--not-refunded --reason TEXT | --requeue-print JOB_ID] [--json]';

const HELP = `Usage: counterpay queue [--config PATH] [--json]
       counterpay queue --retry OP_ID
       counterpay queue --resolve SALE_ID --paid|--not-paid --reason TEXT
       counterpay queue --resolve REFUND_ID --refunded|--not-refunded --reason TEXT
       counterpay queue --requeue-print JOB_ID

Without an action: lists every open sale, every outbox operation not yet final and every print
job a person should look at, rows that need a person first, one line each:

  GROUP  type id  state (reason)  what  since TIME  -> what to do

An operation whose last attempt failed and that the terminal keeps retrying says "retrying since
TIME, last attempt TIME" instead (since: when it was queued), and the summary counts them.

Groups: NEEDS A PERSON (needs_human sales and operations), CHECK PRINT (a print that may be
missing or torn), IN PROGRESS (the terminal finishes these by itself). Listing only reads: it
works while the terminal runs. Before the terminal's first start (no journal in dataDir yet) it
says "no sales yet" and exits 0.

Actions (each recorded in the journal's event log; nothing is ever deleted):
  --retry OP_ID          a needs_human operation goes back to unknown: the terminal reads the
                         remote state first (it never resends blindly), then finishes it;
                         a pending or unknown one is made due at once (skips the backoff)
  --resolve SALE_ID      record what a person found out about a needs_human sale, after
     --paid | --not-paid checking it in the Paysera (or Centrapay) back office: --paid closes it
     --reason TEXT       as done, --not-paid as cancelled; the reason is kept with who decided.
                         The sale's needs_human operations stop (a spot close is retried)
  --resolve REFUND_ID    the same for a needs_human refund (its outcome could not be read):
     --refunded |        --refunded when the back office shows the money went back (the day
     --not-refunded      report counts it; with a pos section it is recorded there too),
     --reason TEXT       --not-refunded when it did not (the sale may be refunded again).
                         The sale never changes; the refund's needs_human operation stops
  --requeue-print JOB_ID print a failed job again (the printer is back, or the paper shows a
                         "check print" receipt is missing); for a second copy of a printed
                         receipt use the terminal menu (COPY)

Actions need the terminal stopped: "systemctl stop counterpay", the action, then
"systemctl start counterpay"; it picks the changes up at start. A terminal started by hand on
the same dataDir is seen too: it holds the journal's lock, and the action is refused.

  --json         the list (or the action's result) as JSON
  --config PATH  config file (default: $COUNTERPAY_CONFIG, else /etc/counterpay/config.json)

Run it as the service user: sudo -u counterpay counterpay queue
Exit status: 0 done, 1 refused or failed (one line says why), 64 usage, 78 bad config.
`;

interface Parsed {
  config: string | undefined;
  retry: string | undefined;
  resolve: string | undefined;
  paid: boolean | undefined;
  /** --refunded / --not-refunded: the decision on a refund. */
  refunded: boolean | undefined;
  reason: string | undefined;
  requeuePrint: string | undefined;
  json: boolean;
}

function parse(argv: string[]): Parsed | string {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        config: { type: 'string' },
        retry: { type: 'string' },
        resolve: { type: 'string' },
        paid: { type: 'boolean' },
        'not-paid': { type: 'boolean' },
        refunded: { type: 'boolean' },
        'not-refunded': { type: 'boolean' },
        reason: { type: 'string' },
        'requeue-print': { type: 'string' },
        json: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    return (error as Error).message;
  }
  const actions = [values.retry, values.resolve, values['requeue-print']].filter((v) => v !== undefined);
  if (actions.length > 1) return 'give one action at a time';
  const paidFlags = [values.paid, values['not-paid'], values.refunded, values['not-refunded']].filter((v) => v === true).length;
  if (values.resolve !== undefined) {
    if (paidFlags !== 1) return '--resolve needs exactly one of --paid or --not-paid (a sale), --refunded or --not-refunded (a refund)';
    if (values.reason === undefined || values.reason.trim() === '') return '--resolve needs --reason TEXT (what you checked and found)';
  } else if (paidFlags > 0 || values.reason !== undefined) {
    return '--paid, --not-paid, --refunded, --not-refunded and --reason go with --resolve';
  }
  return {
    config: values.config,
    retry: values.retry,
    resolve: values.resolve,
    paid: values.resolve === undefined || values.refunded === true || values['not-refunded'] === true ? undefined : values.paid === true,
    refunded: values.refunded === true ? true : values['not-refunded'] === true ? false : undefined,
    reason: values.reason?.trim(),
    requeuePrint: values['requeue-print'],
    json: values.json === true,
  };
}

export function createQueueCommand(journal: () => JournalEnvironment = systemJournalEnvironment): Command {
  return {
    name: 'queue',
    summary: 'List open sales, pending operations and prints to check (needs_human first); retry, resolve or requeue one',
    help: HELP,
    async run(argv: string[], io: CliIo): Promise<number> {
      const args = parse(argv);
      if (typeof args === 'string') {
        io.stderr.write(`counterpay queue: ${args}\n${USAGE}\n`);
        return ExitCode.usage;
      }
      const loaded = loadConfigForCommand('queue', args.config, io);
      if (typeof loaded === 'number') return loaded;
      const env = journal();
      const dataDir = loaded.config.dataDir;
      const out = (text: string): void => void io.stdout.write(`${text}\n`);
      const json = (value: unknown): void => out(JSON.stringify(value, null, 2));
      const timeZone = io.env['TZ']?.replace(/^:/, '') || undefined;

      let store: Store | undefined;
      let closeJournal = (): void => store?.close();
      try {
        if (args.retry === undefined && args.resolve === undefined && args.requeuePrint === undefined) {
          // Before the terminal's first start there is no journal yet: nothing waits, and that
          // is not a failure (a wrong dataDir shows in the path named).
          const dbPath = join(dataDir, DEFAULT_DB_FILE);
          if (!existsSync(dbPath)) {
            if (args.json) json({ items: [], counts: { needs_human: 0, check_print: 0, in_progress: 0 }, noJournal: dbPath });
            else out(`queue: no sales yet (no journal at ${dbPath}: the terminal creates it at its first start)`);
            return ExitCode.ok;
          }
          store = openForReading(dataDir, env);
          const view = buildQueueView(store);
          if (args.json) json(view);
          else {
            for (const item of view.items) out(formatQueueLine(item, timeZone));
            out(formatQueueSummary(view, timeZone));
          }
          return ExitCode.ok;
        }
        const journal = await openForWriting(dataDir, env);
        closeJournal = () => journal.close();
        store = journal.store;
        if (args.retry !== undefined) {
          const { op, from } = retryOp(store, args.retry);
          if (args.json) json({ action: 'retry', from, op });
          else out(`op ${op.id} (${op.kind}): ${from} -> ${op.state}, due when the terminal starts${op.state === 'unknown' ? ' (it reads the remote state first)' : ''}`);
        } else if (args.resolve !== undefined && args.refunded !== undefined) {
          const by = io.env['SUDO_USER'] ?? io.env['USER'] ?? io.env['LOGNAME'];
          const result = resolveRefund(store, { refundId: args.resolve, refunded: args.refunded, reason: args.reason ?? '', by, posSync: loaded.config.pos !== undefined, nowWallMs: env.clock.wallMs() });
          if (args.json) json({ action: 'resolve-refund', ...result });
          else {
            out(`refund ${result.refund.id} of sale ${result.refund.saleId}: needs_human -> ${result.refund.state} (${args.refunded ? 'refunded' : 'not refunded'}), reason recorded`);
            for (const op of result.ops) out(`  op ${op.id} (${op.kind}): closed as ${op.state}/${op.lastErrorCode ?? ''}`);
          }
        } else if (args.resolve !== undefined) {
          if (store.refunds.get(args.resolve) !== undefined) throw new QueueActionError('wrong_decision', `${args.resolve} is a refund: decide it with --refunded or --not-refunded`);
          const by = io.env['SUDO_USER'] ?? io.env['USER'] ?? io.env['LOGNAME'];
          const result = resolveSale(store, {
            saleId: args.resolve,
            paid: args.paid === true,
            reason: args.reason ?? '',
            by,
            posSync: loaded.config.pos !== undefined,
            nowWallMs: env.clock.wallMs(),
          });
          if (args.json) json({ action: 'resolve', ...result });
          else {
            out(`sale ${result.sale.id}: needs_human -> ${result.sale.state} (${args.paid === true ? 'paid' : 'not paid'}), reason recorded`);
            for (const op of result.ops) {
              out(`  op ${op.id} (${op.kind}): ${op.state === 'unknown' ? 'retried when the terminal starts' : `closed as ${op.state}/${op.lastErrorCode ?? ''}`}`);
            }
            for (const op of result.live) out(`  op ${op.id} (${op.kind}): ${op.state}, the terminal still runs it`);
          }
        } else if (args.requeuePrint !== undefined) {
          const job = requeuePrint(store, args.requeuePrint);
          if (args.json) json({ action: 'requeue-print', job });
          else out(`print job ${job.id} (${job.kind}${job.saleId === undefined ? '' : ` of sale ${job.saleId}`}): failed -> queued, prints when the terminal starts`);
        }
        return ExitCode.ok;
      } catch (error) {
        if (error instanceof CodedError) {
          io.stderr.write(`counterpay queue: ${error.message} [${error.code}]\n`);
          return ExitCode.failure;
        }
        throw error;
      } finally {
        closeJournal();
      }
    },
  };
}

export const queueCommand: Command = createQueueCommand();
