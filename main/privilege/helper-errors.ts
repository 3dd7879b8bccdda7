import { KvmnetError } from '../core/kvmnet-error';
import type { HelperError } from '../helper/protocol';
import type { HelperExit } from './helper-connection';

/** The helper is gone: every pending and later request fails with this. */
export class HelperGoneError extends Error {
  constructor(readonly exit: HelperExit) {
    const how = exit.spawnError ?? (exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`);
    super(`the KVMNet helper stopped (${how})${exit.stderr ? `: ${exit.stderr.split('\n').at(-1)}` : ''}`);
    this.name = 'HelperGoneError';
  }
}

/** The helper wrote something that is not a protocol message: it is not trusted any further. */
export class HelperProtocolError extends Error {
  constructor(readonly detail: string) {
    super(`the KVMNet helper answered something that is not part of its protocol: ${detail}`);
    this.name = 'HelperProtocolError';
  }
}

/** The helper understood the request and refused or failed it; `helperError` says how. */
export class HelperRequestError extends KvmnetError {
  constructor(readonly helperError: HelperError) {
    super('HELPER', helperError.message, helperError.field);
    this.name = 'HelperRequestError';
  }
}
