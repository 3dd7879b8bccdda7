/**
 * A failure with a stable code and a message safe to show the user; `field` names the input at
 * fault. Main throws it from handlers; the renderer re-creates it from the IPC error envelope,
 * so both sides catch the same class.
 */
export class KvmnetError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'KvmnetError';
  }
}
