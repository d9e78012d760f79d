/** How an `alterAmount` fault changes the transaction or payment request a request makes. */
export interface AmountAlteration {
  readonly deltaMinor: number;
  readonly currency?: string | undefined;
}
