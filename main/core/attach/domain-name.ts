import { z } from 'zod';

/**
 * The libvirt domain a user names for `kvmnet attach --vm`. libvirt accepts almost any name, but
 * the helper passes it to virsh as an argument and shows it in messages and journals: keep to
 * characters that cannot be read as an option or carry anything else (virt-manager's and
 * virt-install's default names all fit).
 */
export const DomainName = z
  .string({ error: 'must be a libvirt domain name written as text, e.g. debian12' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.+:-]{0,63}$/, {
    error: (i) => `"${String(i.input)}" is not a domain name KVMNet can attach to; use up to 64 letters, digits, "_", ".", "+", ":" or "-", starting with a letter or digit (virsh list --all shows the names)`,
  });
export type DomainName = z.infer<typeof DomainName>;
