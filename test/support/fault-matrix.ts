import { describe, it } from 'vitest';
import type { FaultRuleSpec } from '../../src/emulator/index.js';
import type { SaleRecord } from '../../src/store/types.js';
import { applied, payTableSale, startHarness, waitForWaitingTable } from './engine-harness.js';
import { variationCases } from './variation-cases.js';
import { waitFor } from './wait-for.js';

/**
 * The fault matrix: each payment write under each fault ends in the right state with exactly
 * one effect, proven from the emulator's request log (applied requests).
 */
type Write = 'create order' | 'create transaction' | 'reserve' | 'confirm' | 'close' | 'revoke' | 'refund';
const WRITES: Record<Write, { method: string; path: string; pattern: RegExp }> = {
  'create order': { method: 'POST', path: '/rest/v1/spot/*/order', pattern: /^\/rest\/v1\/spot\/\d+\/order$/ },
  'create transaction': { method: 'POST', path: '/rest/v1/transaction', pattern: /^\/rest\/v1\/transaction$/ },
  reserve: { method: 'PUT', path: '/rest/v1/transaction/*/reserve', pattern: /\/reserve$/ },
  confirm: { method: 'PUT', path: '/rest/v1/transaction/*/confirm', pattern: /\/confirm$/ },
  close: { method: 'PUT', path: '/rest/v1/spot/*/close', pattern: /\/close$/ },
  revoke: { method: 'DELETE', path: '/rest/v1/transaction/*', pattern: /^\/rest\/v1\/transaction\/[^/]+$/ },
  // A refund cancels the paid sale's payment; a lost answer is read back, never repeated.
  refund: { method: 'DELETE', path: '/rest/v1/payment/*', pattern: /^\/rest\/v1\/payment\/\d+$/ },
};
export type MatrixFault = Omit<FaultRuleSpec, 'method' | 'path'>;

/** Declares the matrix of every write under each of `faults`, once per Wallet variation. */
export function describeFaultMatrix(faults: Record<string, MatrixFault>): void {
  // Each case has its own emulator, journal and engine, so the cases of a variation run side by
  // side: most of their time is spent waiting (polls, backoff, a second of Retry-After).
  describe.each(variationCases('paysera-wallet'))('fault matrix, $label: exactly one effect per write', (variation) => {
    for (const [write, target] of Object.entries(WRITES) as [Write, (typeof WRITES)[Write]][]) {
      for (const [faultName, fault] of Object.entries(faults)) {
        it.concurrent(`${write} × ${faultName}`, async ({ expect }) => {
          const h = await startHarness({ emulator: { variations: variation.variations } });
          try {
            const sale = (id: string): SaleRecord | undefined => h.store.sales.get(id);
            const stateOf = (id: string): string | undefined => sale(id)?.state;
            h.emu.faults.add({ ...fault, method: target.method, path: target.path } as FaultRuleSpec);
            let saleId: string;
            if (write === 'refund') {
              const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
              saleId = h.engine.startCodeSale(1299).id;
              h.engine.submitReservationCode(saleId, code);
              await waitFor(() => stateOf(saleId) === 'done', 'code sale done');
              const refund = h.engine.refundSale(saleId);
              await waitFor(() => h.store.refunds.get(refund.id)?.state === 'refunded', `refunded under ${faultName}`);
              expect(h.emu.wallet.getTransaction(sale(saleId)?.transactionKey ?? '').payments[0]?.status).toBe('canceled');
              expect(h.store.printJobs.listBySale(saleId).filter((j) => j.kind === 'refund-slip')).toHaveLength(1);
            } else if (write === 'create transaction' || write === 'reserve') {
              const { code } = h.emu.wallet.issueReservationCode({ balance: 5000 });
              saleId = h.engine.startCodeSale(1299).id;
              h.engine.submitReservationCode(saleId, code);
              await waitFor(() => stateOf(saleId) === 'done', `code sale done under ${faultName}`);
            } else if (write === 'revoke') {
              h.emu.wallet.checkInByCode('PAYSERA*3:TABLE1', 'alice');
              await waitForWaitingTable(h, 1);
              saleId = h.engine.startTableSale(1, 800).id;
              await waitFor(() => sale(saleId)?.transactionKey, 'order');
              h.engine.cancelSale(saleId);
              await waitFor(() => stateOf(saleId) === 'cancelled', `cancelled under ${faultName}`);
              expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(0);
              expect(h.emu.wallet.getSpot(sale(saleId)?.spotId ?? -1).status).toBe('closed');
            } else {
              saleId = (await payTableSale(h, 1, 1299)).id;
              expect(h.emu.wallet.getSpot(sale(saleId)?.spotId ?? -1).status).toBe('closed');
            }
            expect(h.emu.faults.snapshot().rules.every((r) => r.remaining === 0 || r.remaining === undefined)).toBe(true);
            expect(applied(h.emu, target.method, target.pattern)).toBe(1);
            if (write !== 'revoke') {
              expect(h.emu.wallet.getTransaction(sale(saleId)?.transactionKey ?? '').status).toBe('confirmed');
              expect(applied(h.emu, 'PUT', /\/confirm$/)).toBe(1);
              expect(h.store.printJobs.listBySale(saleId).filter((j) => j.kind === 'receipt')).toHaveLength(1);
            }
            // Exactly one transaction carries this sale: no orphan from a repeated create.
            const ours = h.emu.wallet.snapshot().transactions.filter((t) => JSON.stringify(t.payments).includes(saleId));
            expect(ours).toHaveLength(1);
          } finally {
            await h.stop();
          }
        });
      }
    }
  });
}
