import type { TopologyNodeKind } from '../../model/topology-graph';
import type { IconName } from '../icons/icon-paths';

export const TOPOLOGY_ICONS: Record<TopologyNodeKind, IconName> = {
  ethernet: 'ethernet',
  wireless: 'wifi',
  bridge: 'bridge',
  tap: 'link',
  veth: 'pair',
  link: 'link',
  guest: 'vm',
  tapOwner: 'user',
  network: 'globe',
};
