import { createHash } from 'node:crypto';
import { chmod, copyFile, lstat, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { newcArchive, type ArchiveEntry } from './newc';

/** The NIC drivers the guest loads: virtio for KVMNet's default model, e1000 for the legacy one. */
const NIC_MODULES = ['virtio_net', 'virtio_pci', 'e1000'];
const BUSYBOX = '/bin/busybox';
const FIXTURE_DIR = fileURLToPath(new URL('.', import.meta.url));

export interface GuestKernel { version: string; vmlinuz: string }
/** A kernel and initramfs readable by any user, so QEMU can run unprivileged. */
export interface GuestImage { kernelVersion: string; kernel: string; initramfs: string }

/** The newest /boot/vmlinuz-* whose modules are installed, or undefined. */
export async function findGuestKernel(): Promise<GuestKernel | undefined> {
  const versions = (await readdir('/boot').catch(() => [] as string[]))
    .filter((f) => f.startsWith('vmlinuz-'))
    .map((f) => f.slice('vmlinuz-'.length))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
  for (const version of versions) {
    if (await lstat(`/lib/modules/${version}/kernel`).then(() => true, () => false)) return { version, vmlinuz: `/boot/vmlinuz-${version}` };
  }
  return undefined;
}

async function modinfo(version: string, field: string, module: string): Promise<string> {
  return (await execa('modinfo', ['-k', version, '-F', field, module])).stdout.trim();
}

/** The modules that NIC_MODULES need, each after everything it depends on, with their files. */
async function modulesInLoadOrder(version: string): Promise<{ name: string; file: string }[]> {
  const ordered: { name: string; file: string }[] = [];
  const seen = new Set<string>();
  const visit = async (name: string): Promise<void> => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const dep of (await modinfo(version, 'depends', name)).split(',').filter(Boolean)) await visit(dep);
    const file = await modinfo(version, 'filename', name);
    // built into this kernel: nothing to load
    if (file === '(builtin)') return;
    if (!file.endsWith('.ko')) throw new Error(`${file}: compressed modules are not supported by the guest's busybox insmod; use a kernel package with plain .ko files`);
    ordered.push({ name, file });
  };
  for (const name of NIC_MODULES) await visit(name);
  return ordered;
}

async function archiveEntries(modules: { name: string; file: string }[]): Promise<ArchiveEntry[]> {
  const fixture = (name: string) => readFile(join(FIXTURE_DIR, name));
  const applets = (await execa(BUSYBOX, ['--list'])).stdout.split('\n').filter((a) => a && a !== 'busybox');
  return [
    ...['bin', 'dev', 'etc', 'lib', 'lib/modules', 'proc', 'run', 'sys', 'tmp'].map((path): ArchiveEntry => ({ kind: 'dir', path })),
    // the kernel opens /dev/console for /init before anything can mount devtmpfs
    { kind: 'char', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'file', path: 'bin/busybox', data: await readFile(BUSYBOX), mode: 0o755 },
    ...applets.map((a): ArchiveEntry => ({ kind: 'symlink', path: `bin/${a}`, target: 'busybox' })),
    { kind: 'file', path: 'init', data: await fixture('init.sh'), mode: 0o755 },
    { kind: 'file', path: 'etc/udhcpc.script', data: await fixture('udhcpc.sh'), mode: 0o755 },
    { kind: 'file', path: 'etc/kvmnet-modules', data: Buffer.from(modules.map((m) => `${m.name}\n`).join('')), mode: 0o644 },
    ...await Promise.all(modules.map(async (m): Promise<ArchiveEntry> => ({ kind: 'file', path: `lib/modules/${m.name}.ko`, data: await readFile(m.file), mode: 0o644 }))),
  ];
}

/** Refuse a cache directory someone else could have planted or can write into. */
async function trustedDirectory(dir: string): Promise<boolean> {
  const st = await lstat(dir).catch(() => undefined);
  if (!st) return false;
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o022) !== 0) {
    throw new Error(`${dir} exists but is not a directory owned by this user and closed to others: remove it`);
  }
  return true;
}

async function build(kernel: GuestKernel): Promise<GuestImage> {
  const modules = await modulesInLoadOrder(kernel.version);
  const entries = await archiveEntries(modules);
  const hash = createHash('sha256');
  for (const e of entries) hash.update(JSON.stringify(e.kind === 'file' ? { ...e, data: createHash('sha256').update(e.data).digest('hex') } : e));
  // the builder itself is part of the key: a change to how the archive is made rebuilds it
  for (const f of (await readdir(FIXTURE_DIR)).sort()) hash.update(await readFile(join(FIXTURE_DIR, f)));
  const dir = join(tmpdir(), `kvmnet-guest-${kernel.version}-${hash.digest('hex').slice(0, 16)}`);
  const image = { kernelVersion: kernel.version, kernel: join(dir, 'vmlinuz'), initramfs: join(dir, 'initramfs.cpio') };
  if (await trustedDirectory(dir)) return image;

  const staging = await mkdtemp(join(tmpdir(), 'kvmnet-guest-build-'));
  try {
    // a copy, because some distributions make /boot/vmlinuz-* readable by root only
    await copyFile(kernel.vmlinuz, join(staging, 'vmlinuz'));
    await writeFile(join(staging, 'initramfs.cpio'), newcArchive(entries));
    await chmod(join(staging, 'vmlinuz'), 0o644);
    await chmod(join(staging, 'initramfs.cpio'), 0o644);
    await chmod(staging, 0o755);
    await rename(staging, dir);
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    // another test file built the same image at the same moment
    if (await trustedDirectory(dir)) return image;
    throw e;
  }
  return image;
}

let cached: Promise<GuestImage> | undefined;

/**
 * The guest's kernel and busybox initramfs, built once per machine and kept in the temporary
 * directory under a name made of the kernel version and a hash of everything that went in.
 */
export function guestImage(): Promise<GuestImage> {
  cached ??= (async () => {
    const kernel = await findGuestKernel();
    if (!kernel) throw new Error('no /boot/vmlinuz-* with its /lib/modules: install the kernel package (apt-get install linux-image-amd64)');
    return build(kernel);
  })();
  return cached;
}
