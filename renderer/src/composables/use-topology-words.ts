import { useI18n } from 'vue-i18n';
import { formatAddress, shownAddresses } from '../model/link-state';
import { formatRate, type LinkRate } from '../model/link-rates';
import type { NodeStatus, TopologyEdgeKind, TopologyNode, TopologyNodeKind } from '../model/topology-graph';

/** How the diagram and its details name things, in the user's language. */
export function useTopologyWords() {
  const { t } = useI18n();
  const kind = (k: TopologyNodeKind): string => t(`topology.nodeKind.${k}`);
  const status = (s: NodeStatus): string => t(`topology.status.${s}`);
  const edgeKind = (k: TopologyEdgeKind): string => t(`topology.edgeKind.${k}`);
  const rate = (r: LinkRate): string => t('topology.rate.short', { rx: formatRate(r.rxBytesPerSecond), tx: formatRate(r.txBytesPerSecond) });
  const rateSpoken = (r: LinkRate): string => t('topology.rate.spoken', { rx: formatRate(r.rxBytesPerSecond), tx: formatRate(r.txBytesPerSecond) });

  /** the second line of a node: its address, its network's way out, or what it is */
  function summary(node: TopologyNode): string {
    const subject = node.subject;
    switch (subject.type) {
      case 'link': {
        const address = shownAddresses(subject.link)[0];
        return address ? formatAddress(address) : (subject.link.mac ?? kind(node.kind));
      }
      case 'guest':
        return t('topology.summary.interfaces', subject.domain.interfaces.length);
      case 'tapOwner':
        return t('topology.summary.taps', subject.taps.length);
      case 'network': {
        const forward = subject.network.libvirt?.forwardMode;
        if (subject.network.libvirt) return forward ? t('topology.summary.libvirtForward', { mode: forward }) : t('topology.summary.libvirtIsolated');
        return t('topology.summary.kvmnet');
      }
    }
  }

  const nodeLabel = (node: TopologyNode): string =>
    node.status ? t('topology.nodeLabel', { kind: kind(node.kind), name: node.name, status: status(node.status) }) : t('topology.nodeLabelNoStatus', { kind: kind(node.kind), name: node.name });

  return { kind, status, edgeKind, rate, rateSpoken, summary, nodeLabel };
}
