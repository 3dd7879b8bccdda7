/** Where a command writes, so commands can be run and checked without a terminal. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** resolves when the user asks a long-running command (status --watch) to stop; listens only once called */
  interrupted(): Promise<void>;
  /** asks a yes/no question on the terminal; absent when stdin is not a terminal, so nothing can be asked */
  confirm?(question: string): Promise<boolean>;
}
