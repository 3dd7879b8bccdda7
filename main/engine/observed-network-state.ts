import type { HostSnapshot } from '../core/host-snapshot';
import type { ParsedLibvirtNetwork } from '../core/render/libvirt-network-xml';
import type { HostObserver } from '../host/observer';
import { readIpv6Facts } from '../host/read-ipv6-facts';
import { readLibvirtDefinitions, readNetworkRecords } from '../host/read-networks';
import { readForwardedLibvirt, readIpForward, readProxyArpFacts, toHostNetworkState, type HostNetworkState } from './host-network-state';

interface Observed {
  snapshot: HostSnapshot;
  definitions: ParsedLibvirtNetwork[];
}

/**
 * The network state of a process that already follows the host (the app with its live observer):
 * links, routes and libvirt come from the observer's latest snapshot, re-read after every burst of
 * host changes, so planning starts no process at all. The libvirt definitions are read once per
 * snapshot, off the path of any request. What no event announces, KVMNet's records and the
 * forwarding switches, is read fresh each time: a few small files.
 *
 * A snapshot a moment behind the host cannot make a plan unsafe: the helper validates every plan
 * against the kernel again and refuses what no longer holds (a bridge that appeared meanwhile).
 * After KVMNet's own change, though, a plan must see it (a delete right after a create must find
 * the bridge): forget() makes the next read a fresh one, and snapshots the observer began before
 * the change are not taken any more.
 */
export class ObservedNetworkState {
  #latest: Promise<Observed> | undefined;
  /** when KVMNet last changed the host: older snapshots no longer describe it */
  #changedAt = 0;
  readonly #unsubscribe: () => void;

  constructor(private readonly observer: Pick<HostObserver, 'snapshot' | 'subscribe'>) {
    this.#unsubscribe = observer.subscribe((snapshot) => {
      if (Date.parse(snapshot.takenAt) >= this.#changedAt) this.#latest = withDefinitions(snapshot);
    });
  }

  /** KVMNet has just changed the host: the next read is taken afresh */
  forget(): void {
    this.#changedAt = Date.now();
    this.#latest = undefined;
  }

  /** the snapshot planning would use now */
  async snapshot(): Promise<HostSnapshot> {
    return (await this.#current()).snapshot;
  }

  async read(): Promise<HostNetworkState> {
    const observed = this.#current();
    // the IPv6 and proxy ARP switches of the snapshot's links are read beside the files, not after them
    const [{ snapshot, definitions }, records, ipForward, forwarded, ipv6, proxyArpFacts] = await Promise.all([
      observed, readNetworkRecords(), readIpForward(), readForwardedLibvirt(),
      observed.then((o) => readIpv6Facts(o.snapshot.links.map((l) => l.name))),
      observed.then((o) => readProxyArpFacts(o.snapshot.links)),
    ]);
    return toHostNetworkState(snapshot, records, definitions, ipForward, ipv6, forwarded, proxyArpFacts);
  }

  close(): void {
    this.#unsubscribe();
  }

  #current(): Promise<Observed> {
    // a failed read is not kept: the next request reads again
    this.#latest ??= this.observer.snapshot().then(withDefinitions).catch((e: unknown) => {
      this.#latest = undefined;
      throw e;
    });
    return this.#latest;
  }
}

async function withDefinitions(snapshot: HostSnapshot): Promise<Observed> {
  return { snapshot, definitions: await readLibvirtDefinitions(snapshot) };
}
