/** One problem with user input: the field at fault (a dotted path such as ipv4.subnet) and how to fix it. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Thrown where a caller asked for a complete network but the input cannot give one; nothing has run. */
export class NetworkInputError extends Error {
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((i) => i.message).join('\n'));
    this.name = 'NetworkInputError';
  }

  /** the first field at fault, for callers (IPC, CLI) that report a single one */
  get field(): string | undefined {
    return this.issues[0]?.field;
  }
}
