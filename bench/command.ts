/** One process a contender starts: an argument array (never a shell line), with optional stdin. */
export interface Command {
  file: string;
  args: string[];
  input?: string;
  /** how a timing of it is named when its first words would not say it */
  label?: string;
}

export const command = (file: string, args: string[], input?: string): Command => ({ file, args, ...(input !== undefined && { input }) });
