export { Emulator, startEmulator, type EmulatorOptions } from './emulator.js';
export { FaultInjector, type FaultRule, type FaultSnapshot } from './faults.js';
export { parseFaultRule, FAULT_KINDS, type FaultKind, type FaultRuleSpec } from './fault-rule.js';
export { RequestLog, type RequestLogEntry } from './request-log.js';
export { EXAMPLE_CREDENTIAL, type MacCredential } from './paysera-wallet/mac-verifier.js';
export { WalletState, DEFAULT_CUSTOMER, type WalletSnapshot } from './paysera-wallet/wallet-state.js';
