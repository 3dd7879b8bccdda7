import { z } from 'zod';
import { networkdFileNames } from '../core/bridge-to-lan/networkd-files';
import { InterfaceName, NetworkName } from '../core/names';

const MAX_NETWORKD_FILE_BYTES = 64 * 1024;

/**
 * Exactly these of KVMNet's networkd files for the bridge exist, with this text (none: the bridge
 * is gone and the uplink is under the user's own .network). Read back from the journal, so only the
 * three names KVMNet writes for this bridge and uplink are accepted.
 */
export const NetworkdFilesUndo = z.object({
  ensure: z.literal('networkd.files'),
  network: NetworkName,
  uplink: InterfaceName,
  bridge: InterfaceName,
  files: z.array(z.object({ name: z.string().max(64), text: z.string().max(MAX_NETWORKD_FILE_BYTES) }).strict()).max(3),
}).strict().superRefine((u, ctx) => {
  let names: string[];
  try {
    names = networkdFileNames(u.bridge, u.uplink);
  } catch (e) {
    ctx.addIssue({ code: 'custom', path: ['bridge'], message: (e as Error).message });
    return;
  }
  u.files.forEach((f, i) => {
    if (!names.includes(f.name)) ctx.addIssue({ code: 'custom', path: ['files', i, 'name'], message: `not one of KVMNet's networkd files for ${u.bridge}` });
  });
});
