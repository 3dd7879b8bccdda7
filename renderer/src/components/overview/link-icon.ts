import type { LinkKind } from '../../../../main/core/host-snapshot';
import type { IconName } from '../icons/icon-paths';

/** The picture for each kind of link; a TAP is drawn as the VM screen it usually serves. */
export function linkIcon(kind: LinkKind): IconName {
  switch (kind) {
    case 'physical': return 'ethernet';
    case 'wireless': return 'wifi';
    case 'bridge': return 'bridge';
    case 'tap':
    case 'macvtap': return 'vm';
    case 'veth': return 'pair';
    default: return 'link';
  }
}
