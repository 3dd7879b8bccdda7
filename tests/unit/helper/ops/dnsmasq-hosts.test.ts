import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { dnsmasqConfPath, dnsmasqHostsPath, dnsmasqPidPath, dnsmasqSpecPath } from '../../../../main/core/paths';
import { renderDnsmasqConf } from '../../../../main/core/render/dnsmasq-conf';
import { dnsmasqHosts } from '../../../../main/helper/ops/dnsmasq-hosts';
import { FakeHostIo } from '../fake-host-io';
import { Step } from '../../../../main/helper/protocol';

const spec: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0', ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
};
const hosts = [{ mac: '52:54:00:00:00:05', ip: '10.80.0.5', name: 'web' }, { mac: '52:54:00:00:00:06', ip: '10.80.0.6' }];
const reserved: NetworkSpec = { ...spec, reservations: hosts };
const step = { op: 'dnsmasq.hosts', network: 'lab', bridge: 'kvbr0', reservations: hosts } as const;

/** a host where the network's dnsmasq (pid 4242) runs, started from `started` with `conf` */
function running(started: NetworkSpec, conf = renderDnsmasqConf(started)): FakeHostIo {
  const io = new FakeHostIo();
  io.files.set(dnsmasqPidPath('lab'), '4242\n');
  io.files.set(dnsmasqConfPath('lab'), conf);
  io.files.set(dnsmasqSpecPath('lab'), `${JSON.stringify(started)}\n`);
  io.processes.set(4242, ['/usr/sbin/dnsmasq', `--conf-file=${dnsmasqConfPath('lab')}`]);
  return io;
}

describe('dnsmasq.hosts', () => {
  it('rewrites the hosts file, saves the spec and makes dnsmasq reread it with SIGHUP; undone by the reservations it ran with', async () => {
    const io = running(spec);
    expect(await dnsmasqHosts.inverse(step, io)).toEqual([{ ensure: 'dnsmasq.hosts', spec }]);
    await dnsmasqHosts.run(step, io);
    expect(io.files.get(dnsmasqHostsPath('lab'))).toBe('52:54:00:00:00:05,10.80.0.5,web\n52:54:00:00:00:06,10.80.0.6\n');
    expect(JSON.parse(io.files.get(dnsmasqSpecPath('lab'))!)).toEqual(reserved);
    expect(io.signals).toEqual([{ pid: 4242, signal: 'SIGHUP' }]);
  });

  it('refuses a dnsmasq an earlier KVMNet started without a hosts file, where SIGHUP would change nothing', async () => {
    const io = running(spec, renderDnsmasqConf(spec).replace(/^dhcp-hostsfile=.*\n/m, ''));
    await expect(dnsmasqHosts.run(step, io)).rejects.toThrow(/started without a reservations file .* stop and start the network once/);
    expect(io.signals).toEqual([]);
  });

  it('cannot be undone, so does not run, when the running dnsmasq lacks the spec it was started from', async () => {
    const io = running(spec);
    io.files.delete(dnsmasqSpecPath('lab'));
    await expect(dnsmasqHosts.inverse(step, io)).rejects.toThrow(/could not be put back/);
  });

  it('changes only the reservations: the rest of the spec stays the one dnsmasq was started from', async () => {
    const io = running({ ...spec, domain: 'lab.internal' });
    await dnsmasqHosts.run(step, io);
    expect(JSON.parse(io.files.get(dnsmasqSpecPath('lab'))!)).toEqual({ ...reserved, domain: 'lab.internal' });
  });

  it('refuses another bridge than the running dnsmasq serves, and reservations outside its subnet', async () => {
    const io = running(spec);
    await expect(dnsmasqHosts.inverse({ ...step, bridge: 'kvbr1' }, io)).rejects.toThrow(/serves kvbr0, not kvbr1/);
    await expect(dnsmasqHosts.run({ ...step, reservations: [{ mac: '52:54:00:00:00:07', ip: '10.99.0.7' }] }, io)).rejects.toThrow(/outside the network's subnet/);
    expect(io.signals).toEqual([]);
  });

  it('is a narrow step: a request carrying a whole spec is not one', () => {
    expect(Step.safeParse({ op: 'dnsmasq.hosts', spec: reserved }).success).toBe(false);
    expect(Step.safeParse({ ...step, spec: reserved }).success).toBe(false);
    expect(Step.safeParse(step).success).toBe(true);
  });
});
