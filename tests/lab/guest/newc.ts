/**
 * The kernel's initramfs format ("newc" cpio, see the kernel's
 * Documentation/driver-api/early-userspace/buffer-format.rst), written in-process so the guest
 * needs no cpio tool. Every time stamp and owner is zero: the same inputs give the same bytes.
 */
export type ArchiveEntry =
  | { kind: 'dir'; path: string }
  | { kind: 'file'; path: string; data: Buffer; mode: number }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'char'; path: string; major: number; minor: number };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const S_IFCHR = 0o020000;

function pad4(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

function record(ino: number, path: string, mode: number, data: Buffer, rdev: [number, number] = [0, 0]): Buffer {
  const name = Buffer.from(`${path}\0`);
  const fields = [ino, mode, 0, 0, mode & S_IFDIR ? 2 : 1, 0, data.length, 0, 0, rdev[0], rdev[1], name.length, 0];
  const header = Buffer.from(`070701${fields.map((f) => f.toString(16).padStart(8, '0')).join('')}`);
  const head = Buffer.concat([header, name]);
  return Buffer.concat([head, pad4(head.length), data, pad4(data.length)]);
}

/** Entries are written in order: the kernel creates each path as it reads it, so parents come first. */
export function newcArchive(entries: readonly ArchiveEntry[]): Buffer {
  const parts = entries.map((entry, i) => {
    const ino = i + 1;
    const path = entry.path.replace(/^\/+/, '');
    switch (entry.kind) {
      case 'dir': return record(ino, path, S_IFDIR | 0o755, Buffer.alloc(0));
      case 'file': return record(ino, path, S_IFREG | entry.mode, entry.data);
      case 'symlink': return record(ino, path, S_IFLNK | 0o777, Buffer.from(entry.target));
      case 'char': return record(ino, path, S_IFCHR | 0o600, Buffer.alloc(0), [entry.major, entry.minor]);
    }
  });
  return Buffer.concat([...parts, record(0, 'TRAILER!!!', 0, Buffer.alloc(0))]);
}
