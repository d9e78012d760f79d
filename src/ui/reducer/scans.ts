import type { ScanClassification } from '../../devices/scanner/scanner-port.js';
import { tableFromScan } from '../tables.js';
import { chooseOrderToCancel, chooseTable, submitCode } from './sale-steps.js';
import { flash, texts, type Step } from './step.js';

/**
 * What a scan does on each screen: a reservation code pays the code sale waiting for it; a table
 * card picks its table on idle and table entry (or the table whose order is to be cancelled);
 * anything else there is refused with what to scan instead. Elsewhere a scan is ignored, but a
 * second code for a sale under way is answered: it is never sent.
 */
export function scanned(s: Step, classification: ScanClassification): Step {
  const screen = s.state.screen;
  const { refusals } = texts(s.state);
  if (screen.name === 'scan-code') {
    return classification.kind === 'paysera-reservation' ? submitCode(s, screen.sale, classification.code) : flash(s, refusals.notPaymentCode);
  }
  const choosesTable = screen.name === 'idle' || (screen.name === 'table-entry' && screen.purpose === 'sale');
  const choosesOrder = screen.name === 'table-entry' && screen.purpose === 'cancel';
  if (!choosesTable && !choosesOrder) {
    return screen.name === 'waiting' && classification.kind === 'paysera-reservation' ? flash(s, refusals.codeAlreadySent) : s;
  }
  if (classification.kind === 'paysera-reservation') return flash(s, refusals.pressBFirst);
  const card = tableFromScan(s.state.ctx.tables, classification);
  switch (card.kind) {
    case 'table':
      return choosesOrder && screen.name === 'table-entry' ? chooseOrderToCancel(s, card.table, screen) : chooseTable(s, card.table, card.table.id);
    case 'other_location':
      return flash(s, refusals.otherShopCard);
    case 'unknown_table':
      return flash(s, refusals.unknownCard);
    case 'not_a_card':
      return flash(s, refusals.notTableCard);
  }
}
