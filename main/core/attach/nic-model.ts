import { z } from 'zod';

/**
 * The NIC models KVMNet offers, named as libvirt and virt-install name them. virtio is the fast
 * paravirtual one; the emulated ones are for guests without virtio drivers (Windows installers,
 * old or tiny systems).
 */
export const NIC_MODELS = ['virtio', 'e1000e', 'e1000', 'rtl8139'] as const;
export const NicModel = z.enum(NIC_MODELS, {
  error: `must be one of ${NIC_MODELS.join(', ')}: virtio unless the guest lacks virtio drivers, then e1000e`,
});
export type NicModel = z.infer<typeof NicModel>;

/** QEMU's -device name for each model */
export const QEMU_NIC_DEVICE: Record<NicModel, string> = {
  virtio: 'virtio-net-pci',
  e1000e: 'e1000e',
  e1000: 'e1000',
  rtl8139: 'rtl8139',
};
