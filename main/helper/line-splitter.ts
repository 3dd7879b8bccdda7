/**
 * Splits the byte stream of stdin into request lines without ever holding more than the allowed
 * size: an oversize line is reported as soon as it crosses the limit and the rest of it is
 * skipped up to its newline.
 */
export type SplitItem = { line: string } | { oversize: true };

export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): SplitItem[] {
    const items: SplitItem[] = [];
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), items);
      if (newline < 0) break;
      this.finishLine(items);
      start = newline + 1;
    }
    return items;
  }

  /** the last line when the stream ends without a newline */
  end(): SplitItem[] {
    const items: SplitItem[] = [];
    this.finishLine(items);
    return items;
  }

  private take(piece: Buffer, items: SplitItem[]): void {
    if (this.skipping || piece.length === 0) return;
    if (this.size + piece.length > this.maxBytes) {
      items.push({ oversize: true });
      this.skipping = true;
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(piece);
    this.size += piece.length;
  }

  private finishLine(items: SplitItem[]): void {
    if (!this.skipping) {
      const line = Buffer.concat(this.parts).toString('utf8').replace(/\r$/, '');
      if (line.trim() !== '') items.push({ line });
    }
    this.parts = [];
    this.size = 0;
    this.skipping = false;
  }
}
