import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VueWrapper } from '@vue/test-utils';
import TopologyDiagram from '../../../../../renderer/src/components/topology/TopologyDiagram.vue';
import { buildTopologyGraph, type TopologyGraph } from '../../../../../renderer/src/model/topology-graph';
import { hostSnapshot } from '../../fixtures/host-snapshot';
import { mountAppPart } from '../../fixtures/mount-app-part';

let wrapper: VueWrapper | undefined;
afterEach(() => wrapper?.unmount());

const rate = { rxBytesPerSecond: 1530, txBytesPerSecond: 20 };

/** the fixture's graph, drawn once ELK has placed every node */
async function diagram(graph: TopologyGraph = buildTopologyGraph(hostSnapshot(), new Map([['kvtap0', rate]])), language?: 'en' | 'vi' | 'zh-CN') {
  wrapper = mountAppPart(TopologyDiagram, { props: { graph }, language }).wrapper;
  await vi.waitFor(() => expect(wrapper!.findAll('.vue-flow__node')).toHaveLength(graph.nodes.length), { timeout: 10_000 });
  return wrapper;
}

const node = (w: VueWrapper, id: string) => w.get(`.vue-flow__node[data-id="${id}"]`);
const details = (w: VueWrapper) => w.get('[data-topology-details]');

describe('TopologyDiagram', () => {
  it('draws every node of the graph, each focusable and labelled with its kind, name and state', async () => {
    const w = await diagram();
    expect(node(w, 'link:kvbr0').attributes()).toMatchObject({ tabindex: '0', 'aria-label': 'Bridge kvbr0, Up' });
    expect(node(w, 'link:wlan0').attributes('aria-label')).toBe('Wi‑Fi adapter wlan0, Down');
    expect(node(w, 'network:default').attributes('aria-label')).toBe('Virtual network default, Active');
    expect(node(w, 'link:kvbr0').text()).toContain('10.77.0.1/24');
    expect(node(w, 'network:default').text()).toContain('libvirt · nat');
    expect(w.get('[data-topology-legend]').text()).toContain('Virtual machine');
  });

  it('opens a node\'s details on click: addresses, traffic and what it is connected to', async () => {
    const w = await diagram();
    expect(details(w).text()).toContain('Select a device in the diagram');
    await node(w, 'link:kvtap0').trigger('click');
    const panel = details(w);
    expect(panel.get('h3').text()).toBe('kvtap0');
    expect(panel.get('[data-details-status]').text()).toBe('Up');
    expect(panel.get('[data-fact="mac"]').text()).toBe('02:00:00:00:77:10');
    expect(panel.get('[data-fact="rate"]').text()).toBe('receiving 1.5 kB/s, sending 20 B/s');
    expect(panel.findAll('[data-connection]').map((c) => c.attributes('data-connection'))).toEqual(['link:kvbr0']);
    expect(node(w, 'link:kvtap0').get('.topology-node').classes()).toContain('selected');
  });

  it('opens details with Enter on the focused node, closes them with Escape and gives the focus back', async () => {
    const w = await diagram();
    const bridge = node(w, 'link:kvbr0');
    (bridge.element as HTMLElement).focus();
    await bridge.trigger('keydown', { key: 'Enter' });
    expect(details(w).get('h3').text()).toBe('kvbr0');
    expect(details(w).findAll('[data-connection]').map((c) => c.attributes('data-connection'))).toEqual(['link:kvtap0', 'link:kvtap1', 'network:demo']);
    expect(w.get('[role="status"]').text()).toBe('Showing the details of kvbr0');
    await bridge.trigger('keydown', { key: 'Escape' });
    expect(details(w).find('h3.mono').exists()).toBe(false);
    expect(document.activeElement).toBe(bridge.element);
  });

  it('follows a connection from the details to the node at its other end', async () => {
    const w = await diagram();
    await node(w, 'link:virbr0').trigger('click');
    await details(w).get('[data-connection="network:default"]').trigger('click');
    expect(details(w).get('h3').text()).toBe('default');
    expect(details(w).text()).toContain('libvirt');
    expect(details(w).text()).toContain('eth0');
    expect(document.activeElement).toBe(node(w, 'network:default').element);
  });

  it('keeps the selection through a pushed update and shows the new state', async () => {
    const w = await diagram();
    await node(w, 'link:kvtap1').trigger('click');
    const snapshot = hostSnapshot();
    snapshot.links = snapshot.links.map((l) => (l.name === 'kvtap1' ? { ...l, up: false, operState: 'DOWN' } : l));
    await w.setProps({ graph: buildTopologyGraph(snapshot) });
    expect(details(w).get('[data-details-status]').text()).toBe('Down');
    expect(node(w, 'link:kvtap1').attributes('aria-label')).toBe('TAP device kvtap1, Down');
  });

  it('speaks Vietnamese and Chinese', async () => {
    const vi_ = await diagram(undefined, 'vi');
    expect(node(vi_, 'link:kvbr0').attributes('aria-label')).toBe('Cầu nối kvbr0, trạng thái Hoạt động');
    vi_.unmount();
    const zh = await diagram(undefined, 'zh-CN');
    expect(node(zh, 'link:kvbr0').attributes('aria-label')).toBe('网桥 kvbr0，已启用');
    expect(zh.get('[data-topology-legend]').text()).toContain('虚拟机');
  });
});
