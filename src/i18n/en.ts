import type { Text } from './display-text.js';

/**
 * Every English text the terminal shows or prints: the reference table. Other languages
 * (lt.ts) have exactly this shape (`Messages`), so a text added here must be added there too:
 * the type check and `i18n.test.ts` name each one missing.
 *
 * `display` texts are for the 2-line customer display: each is a list of variants from the
 * 20-column wording down to one that fits 16 columns (the screen picks the first that fits).
 * `print` texts go on paper (receipts, copies, table cards, Centrapay slips, day reports).
 * Amounts and times reach these functions already formatted by the language's conventions.
 */

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export const en = {
  display: {
    /** Beside a sale that D can still cancel. */
    cancelHint: 'D cancel',
    idle: {
      tablesWaiting: (n: number): Text => [n === 1 ? '1 table waiting' : `${n} tables waiting`, `${n} waiting`, `W${n}`],
      /** Beside the clock when a warning takes the second line. */
      waitingAndOpen: (waiting: number, open: number): Text => [`${waiting} wait ${open} open`, `W${waiting} P${open}`],
      salesPending: (n: number): Text => [count(n, 'sale pending', 'sales pending'), `${n} pending`],
      startHint: ['A table  B code', 'A table B code'],
    },
    /** The idle screen's warning line, most urgent first (see idle.ts). */
    warnings: {
      needPerson: (n: number): Text => [`${count(n, 'sale needs', 'sales need')} a person`, `${n} need a person`, `Check: ${n} sale`],
      offlineQueued: (queued: number): Text => [`No network - ${queued} queued`, `No net: ${queued} queued`, 'No network'],
      /** Offline while writes are retried: since when (the oldest), where it fits, else the count. */
      offlineQueuedSince: (queued: number, since: string): Text => [`No network - ${queued} queued`, `No net since ${since}`, `No net: ${queued} queued`, 'No network'],
      /** `write`: one of `writes` below; `since`: when the oldest retried write was queued. */
      retrying: (write: string, since: string, n: number): Text =>
        n === 1
          ? [`Retry ${write} since ${since}`, `Retry ${write} ${since}`, `Retrying ${since}`]
          : [`Retry ${write} +${n - 1} since ${since}`, `Retry ${write} +${n - 1} ${since}`, `Retry ${n} ops ${since}`, `Retrying ${since}`],
      offline: ['No network', 'No network'],
      scannerCable: ['Scanner: check cable', 'Scanner: cable?'],
      queued: (n: number): Text => [`${count(n, 'operation', 'operations')} queued`, `${n} ops queued`, `${n} queued`],
      clockNotSynced: ['Clock not synced', 'Clock not set', 'Clock?'],
      /** The printer reports its paper roll near its end (DLE EOT): it still prints. */
      paperLow: ['Printer: paper low', 'Paper low'],
    },
    /** A write the terminal retries, in a word staff can repeat to whoever looks after it. */
    writes: {
      create_order: 'order',
      create_transaction: 'payment',
      reserve: 'code',
      confirm: 'confirm',
      close_spot: 'close',
      revoke_transaction: 'revoke',
      create_payment_request: 'Centrapay',
      void_payment_request: 'void',
      pos_record_order: 'POS',
      other: 'write',
    },
    /** What a sale is for, longest first. */
    sale: {
      table: (n: number): Text => [`Table ${n}`, `T${n}`],
      code: ['Code sale'],
      centrapay: ['Centrapay'],
      /** A table sale whose table is no longer configured. */
      unknownTable: 'Table',
    },
    tableEntry: {
      noneWaiting: 'No table waiting',
      waiting: ['Waiting:', 'Wait:'],
      typed: (digits: string): Text => `Table: ${digits}`,
      ok: '# OK',
      noOrders: 'No open orders',
      orders: ['Orders:', 'Ord:'],
      cancelTyped: (digits: string): Text => [`Cancel table: ${digits}`, `Cancel: ${digits}`],
    },
    amountEntry: {
      amount: 'Amount',
    },
    scanCode: {
      scan: 'Scan code',
    },
    /** Where a sale under way stands (the waiting screen). */
    progress: {
      cancelling: ['Cancelling...', 'Cancelling'],
      askManager: ['Unclear: ask manager', 'Ask manager'],
      /** A person is needed because the payment does not match the sale (amount or currency). */
      amountMismatch: ['Amount mismatch', 'Wrong amount'],
      /** A person is needed because Paysera answered a status no document lists. */
      statusUnclear: ['Status unclear: ask', 'Status unclear'],
      confirming: ['Confirming payment', 'Confirming'],
      offline: ['No network - waiting', 'Offline - waiting', 'Offline: waiting'],
      waitingForCode: ['Waiting for code'],
      checkingCode: ['Checking code'],
      shortCode: (code: string): Text => [`Code ${code}`, code],
      awaitingPayment: ['Waiting for payment', 'Awaiting payment'],
      sendingOrder: ['Sending order'],
      paid: ['Paid'],
    },
    confirmCancel: {
      question: (label: string): Text => [`Cancel ${label}?`, `Cancel ${label}`],
      bare: 'Cancel?',
      yes: '# yes',
      no: '* no',
    },
    /** The first word of a result screen, before the amount. */
    result: {
      paid: 'PAID',
      declined: 'DECLINED',
      expired: 'EXPIRED',
      cancelled: 'CANCELLED',
      check: 'CHECK',
      queued: 'QUEUED',
      expiredDetail: ['Payment expired', 'Expired'],
      queuedDetail: ['No network - queued', 'Offline - queued'],
    },
    /** The menu's two lines (screens/menu.ts): the number is the key. */
    menu: {
      /** What prints: 1 a copy of the last receipt, 2 the table cards, 3 today's day report. */
      prints: ['1 Copy 2 Cards 3 Day', '1Copy 2Card 3Day'],
      /** 4 the status pages, 5 cancel a pending table order, 6 refund a paid sale (supervisor PIN). */
      others: ['4Stat 5Canc 6 Refund', '4St 5Ca 6 Refund'],
    },
    /** Refunds (menu 6): supervisor PIN, receipt number, the sale, the outcome. */
    refund: {
      title: 'Refund',
      /** No ui.supervisorPin in the config: item 6 does nothing else. */
      disabled: ['Refunds disabled', 'Refund disabled'],
      /** Three wrong PINs in a row: refunds wait 60 s. */
      locked: ['Locked: wait 60 s', 'Locked 60 s'],
      pinPrompt: ['Supervisor PIN', 'PIN'],
      /** The PIN as typed, masked: never its digits. */
      pin: (masked: string): Text => [`PIN: ${masked}`, masked],
      wrongPin: ['Wrong PIN', 'Wrong PIN'],
      pinLength: ['PIN is 4-8 digits', 'PIN 4-8 digits'],
      numberPrompt: ['Receipt no., then #', 'Receipt no. #'],
      /** The receipt number typed so far; none: # takes the last paid sale. */
      number: (digits: string): Text => (digits === '' ? ['# = last paid sale', '# = last sale'] : [`Receipt no. ${digits}`, `No. ${digits}`]),
      /** The sale found: its number and how it was paid. */
      sale: (n: string, method: string): Text => [`Sale ${n} ${method}`, `No.${n} ${method}`, `No.${n}`],
      confirm: (amount: string): Text => [`${amount} # refund`, `${amount} #=yes`, amount],
      methods: { table: 'Table', code: 'Code', centrapay: 'Centrapay' },
      refunding: ['Refunding...', 'Refunding'],
      refunded: 'REFUNDED',
      notPossible: ['Refund not possible', 'No refund'],
      /** Why the provider refused, by the refund's reason. */
      reasons: {
        settled: ['Settled: too late', 'Settled'],
        window_exceeded: ['Too late to refund', 'Too late'],
        not_paid: ['Not paid', 'Not paid'],
        already_refunded: ['Already refunded', 'Refunded before'],
        other: ['Refused by provider', 'Refused'],
      },
      askManager: ['Refund: ask manager', 'Ask manager'],
    },
    /** Status pages (menu 4); the page number stands at the right of the first line. */
    status: {
      networkChecking: ['Network: checking', 'Net: checking'],
      networkOnline: ['Network: online', 'Net: online'],
      networkOffline: ['Network: offline', 'Net: offline'],
      /** "synced": the signing clock has been set from Paysera's server time. */
      clockSynced: (time: string): Text => [`Clock ${time} synced`, 'Clock: synced'],
      clockNotSynced: (time: string): Text => [`Clock ${time} not sync`, 'Clock: not sync'],
      queue: (n: number): Text => [`Queue: ${n} to send`, `Queue: ${n}`],
      printerOk: 'Printer: OK',
      printerUnknown: ['Printer: not checked', 'Printer: ?'],
      /** Jobs went out, but this printer cannot be asked how it is (a `file:` printer, or no answer to DLE EOT). */
      printerPrintedNotChecked: ['Printed, not checked', 'Printed,no check'],
      printerPaperLow: ['Printer: paper low', 'Paper low'],
      openSales: (n: number): Text => [`Open sales: ${n}`, `Open: ${n}`],
      needPerson: (n: number): Text => [`Need a person: ${n}`, `Need person: ${n}`, `Person: ${n}`],
      scannerOk: 'Scanner: OK',
      scannerCable: ['Scanner: check cable', 'Scanner: cable?'],
      scannerNone: 'Scanner: none',
      buzzerOk: 'Buzzer: OK',
      buzzerFailed: ['Buzzer: not working', 'Buzzer: failed'],
      buzzerNone: 'Buzzer: none',
    },
    /** Titles and details of the short notices and the busy screen. */
    notices: {
      centrapay: 'Centrapay',
      notConfigured: 'Not configured',
      copy: 'COPY',
      tableCards: 'Table cards',
      dayReport: 'Day report',
      sendingToPrinter: ['Sending to printer', 'Printing...'],
      sentToPrinter: 'Sent to printer',
      starting: ['Starting...', 'Starting'],
      closed: 'Closed',
      /** A code sale's deadline passed without a code: it was cancelled. */
      noCodeCancelled: ['No code: cancelled', 'No code scanned'],
    },
    /** One line over the first line of the screen when something is refused. */
    refusals: {
      typeTable: ['Type table number', 'Type table no.'],
      noTable: (n: number): Text => [`No table ${n}`, 'No such table'],
      /** A table of paysera.otherTables: another counter sells it. */
      otherTill: (n: number): Text => [`Table ${n}: other till`, `T${n}: other till`, 'Other till'],
      typeAmount: ['Type the amount', 'Type the amount'],
      overMax: (limit: string): Text => [`Over max ${limit}`, `Max ${limit}`],
      alreadyCancelling: ['Already cancelling', 'Cancelling'],
      /** `labels`: the table's names, longest first ("Table 12", "T12"). */
      noCustomer: (labels: readonly string[]): Text => [...labels.map((l) => `${l}: no customer`), 'No customer'],
      tableBusy: (labels: readonly string[]): Text => [...labels.map((l) => `${l} already paying`), ...labels.map((l) => `${l} is busy`), 'Table is busy'],
      noOrder: (labels: readonly string[]): Text => [...labels.map((l) => `No order at ${l}`), 'No order there'],
      notPaymentCode: ['Not a payment code', 'Not a pay code'],
      /** The scanner sent a line that is no code (junk, cut off, wrong scanner mode): scan again. */
      scanNotRead: ['Scan not read', 'Scan not read'],
      codeAlreadySent: ['Code already sent', 'Code sent'],
      pressBFirst: ['B, amount, then scan', 'Press B first'],
      otherShopCard: ['Card of another shop', 'Not our card'],
      unknownCard: ['Unknown table card', 'Unknown card'],
      notTableCard: ['Not a table card', 'Not a table card'],
    },
    /** What a key that does nothing on a screen is answered with: the keys that do something there. */
    keyHints: {
      idle: ['A/B/C sale  D menu', 'ABC sale  D menu'],
      tableEntry: ['Table no., then #', 'Table no. then #'],
      amountEntry: ['Amount, then #', 'Amount, then #'],
      scanCode: ['Scan code, D cancel', 'Scan or D cancel'],
      waiting: ['* leave  D cancel', '*leave D cancel'],
      confirmCancel: ['# yes or * no', '# yes or * no'],
      menu: ['Choose 1-6, * back', '1-6 or * back'],
      refundPin: ['PIN, then #', 'PIN, then #'],
      refundNumber: ['Receipt no., then #', 'No., then #'],
      refundConfirm: ['# refund  * back', '# yes  * back'],
      refundWaiting: ['* leave', '* leave'],
      status: ['# next  * back', '# next  * back'],
      busy: ['Please wait', 'Please wait'],
    },
    /** Engine and action refusals, by error code. */
    errors: {
      table_unknown: ['No such table', 'Unknown table'],
      /** A table of paysera.otherTables: another counter sells it. */
      table_other_till: ['Table of another till', 'Other till table', 'Other till'],
      table_not_waiting: ['No customer at table', 'No customer'],
      table_busy: ['Table already paying', 'Table is busy'],
      invalid_amount: ['Amount not accepted', 'Bad amount'],
      invalid_code: ['Not a payment code', 'Not a pay code'],
      sale_not_found: ['Sale not found', 'No such sale'],
      wrong_sale_kind: ['Not for this sale', 'Not possible'],
      wrong_sale_state: ['Not possible now', 'Not possible'],
      cancel_too_late: ['Too late: paying', 'Too late: paying'],
      not_started: ['Starting - wait', 'Starting - wait'],
      not_refundable: ['Sale not refundable', 'Not refundable'],
      already_refunded: ['Already refunded', 'Refunded before'],
      no_receipt: ['No receipt to copy', 'No receipt yet'],
      /** The sale's receipt has not printed yet: it prints by itself; a copy can follow. */
      receipt_pending: ['Receipt still printing', 'Receipt printing'],
      /** A copy is already waiting for the printer. */
      copy_pending: ['Copy already queued', 'Copy queued'],
      /** A day report of today is still waiting for the printer: it prints by itself. */
      report_pending: ['Report still queued', 'Report queued'],
      no_tables: ['No tables in config', 'No tables set up'],
      /** Anything without a known code: never a trace, always something to do. */
      other: ['Failed - try again', 'Error: try again'],
    },
    /** The printer's problem, by DeviceError code (idle warning, status page, failed print). */
    printer: {
      printer_paper_out: ['Printer: paper out', 'Printer no paper'],
      printer_cover_open: ['Printer: cover open', 'Printer cover?'],
      printer_fault: ['Printer: error', 'Printer error'],
      printer_offline: ['Printer: offline', 'Printer offline'],
      printer_connection_lost: ['Printer: check cable', 'Printer: cable?'],
      printer_timeout: ['Printer: no reply', 'Printer no reply'],
      printer_permission_denied: ['Printer: no access', 'Printer: access'],
      printer_write_failed: ['Printer: write error', 'Printer failed'],
      other: ['Printer: check it', 'Printer: check'],
    },
    /**
     * Why a reservation code was declined (reserve error codes of the Paysera Wallet API, see
     * src/domain/reserve-errors.ts). The customer acts on this, so it names the cause.
     */
    declines: {
      not_enough_funds: ['Code declined: funds', 'Declined: funds'],
      limits_exceeded: ['Code declined: limit', 'Declined: limit'],
      restriction_limits_exceeded: ['Code declined: limit', 'Declined: limit'],
      no_rights: ['Declined: no rights', 'Declined: rights'],
      restriction_violation: ['Code declined: rules', 'Declined: rules'],
      client_restricted: ['Declined: blocked', 'Payer blocked'],
      client_not_verified: ['Declined: unverified', 'Not verified'],
      payment_to_same_account: ['Declined: own acct', 'Own account'],
      payer_account_inactive: ['Payer acct inactive', 'Account inactive'],
      beneficiary_account_inactive: ['Declined: our acct', 'Our acct closed'],
      invalid_code: ['Bad code: scan new', 'Bad code'],
      invalid_parameters: ['Bad code: scan new', 'Bad code'],
      not_found: ['Unknown code: new', 'Unknown code'],
      /** A table sale: the customer rejected the order in the app, or the payment failed. */
      rejected: ['Customer declined', 'Declined'],
      failed: ['Payment failed', 'Failed'],
      other: ['Code declined', 'Declined'],
    },
    /** Why a sale ended cancelled when staff did not cancel it. */
    cancelReasons: {
      orderRefused: ['Order refused', 'Order refused'],
      centrapayRefused: ['Centrapay refused', 'Refused'],
      /** Centrapay's merchant config takes no payment in this currency (403 NO_AVAILABLE_PAYMENT_OPTIONS). */
      currencyNotAccepted: (currency: string): Text => ['Currency not accepted', `${currency} not accepted`, 'Currency refused'],
      /** The terminal's paysera.reservationCodeField is the spelling Paysera does not take. */
      setupCodeField: ['Setup: code field', 'Setup: code fld'],
      expired: ['Payment expired', 'Payment expired'],
      customer: ['Customer declined', 'Customer said no'],
      /** Another till ordered at this table first (docs/configuration.md#several-counters). */
      busyElsewhere: (table: string): Text => [`${table} busy at another till`, `${table}: other till`, 'Busy at other till', 'Other till'],
      /** The order was closed by someone else: another till, the back office, or the customer left. */
      closedElsewhere: ['Closed elsewhere', 'Closed elsewhere'],
      customerLeft: ['Customer left table', 'Customer left'],
    },
  },
  print: {
    copyBanner: '*** COPY ***',
    date: 'Date',
    sale: 'Sale',
    table: 'Table',
    method: 'Method',
    transaction: 'Transaction',
    total: 'TOTAL',
    paid: 'PAID',
    timeNotSynced: '(time not synced)',
    methods: {
      'paysera-table': 'Paysera (table)',
      'paysera-code': 'Paysera (code)',
      centrapay: 'Centrapay',
    },
    tableCardInstruction: 'Scan with the Paysera app to pay',
    centrapayScanToPay: 'Scan to pay with Centrapay',
    centrapayCode: (code: string): string => `Code: ${code}`,
    validUntil: (time: string): string => `Valid until ${time}`,
    reportTitle: (day: string): string => `Day report ${day}`,
    reportPrinted: 'Printed',
    /** A method's or the total's label with the number of sales: "TOTAL x3". */
    reportCount: (label: string, n: number): string => `${label} x${n}`,
    reportNoSales: 'No sales',
    reportDeclined: 'Declined',
    reportCancelled: 'Cancelled',
    reportNeedsPerson: 'Needs a person',
    /** The short sale number staff key for a refund. */
    saleNumber: 'Sale no.',
    terminal: 'Terminal',
    refundBanner: 'REFUND',
    refunded: 'REFUNDED',
    reportRefunds: 'Refunds',
    /** Takings less refunds. */
    reportNet: 'NET',
  },
};
