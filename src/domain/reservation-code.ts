/**
 * Paysera reservation codes: what the customer's Paysera app shows for a code sale, sent once in
 * `PUT /rest/v1/transaction/:key/reserve`. This is the terminal's one definition of what such a
 * code looks like, for the scanner's classifier and the engine alike (the emulator issues codes
 * by its own rule, as Paysera would).
 *
 * Paysera's only published example, on the cash-out page
 * https://developers.paysera.com/en/wallet/integration/cash-out, is 28 decimal digits
 * (`0155567464130298871198969060`); the length and the alphabet are not specified. So: digits
 * only, and any length from 16 to 40. Below 16 are the product barcodes a counter scanner meets
 * (EAN-13 has 13 digits), which must not be sent as a payment; 40 leaves room for a longer code
 * without taking any digit string at all.
 */

export const RESERVATION_CODE_MIN_DIGITS = 16;
export const RESERVATION_CODE_MAX_DIGITS = 40;

const RESERVATION_CODE = new RegExp(`^\\d{${RESERVATION_CODE_MIN_DIGITS},${RESERVATION_CODE_MAX_DIGITS}}$`);

/** Whether `text`, exactly as given (trim a scanned line first), is a reservation code. */
export function isReservationCode(text: string): boolean {
  return RESERVATION_CODE.test(text);
}
