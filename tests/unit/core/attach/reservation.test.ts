import { describe, expect, it } from 'vitest';
import { validateReservation, type Reservation, type ReservationContext } from '../../../../main/core/attach/reservation';
import { labSpec } from '../network/host-fixture';

const web: Reservation = { network: 'lab', mac: '52:54:00:aa:00:01', ip: '10.80.0.10', name: 'web' };
const db: Reservation = { network: 'lab', mac: '52:54:00:aa:00:02', ip: '10.80.0.11', name: 'db' };

const context = (over: Partial<ReservationContext> = {}): ReservationContext => ({ network: labSpec, existing: [], ...over });
const messages = (input: unknown, ctx = context()) => validateReservation(input, ctx).map((i) => `${i.field}: ${i.message}`);

describe('validateReservation', () => {
  it('accepts an address in the subnet, outside or inside the dynamic range, with or without a name', () => {
    expect(validateReservation(web, context({ existing: [db] }))).toEqual([]);
    expect(validateReservation({ network: 'lab', mac: '52:54:00:AA:00:03', ip: '10.80.0.200' }, context())).toEqual([]);
  });

  it.each([
    [{ mac: '52:54:00:aa:00' }, 'mac: --mac: "52:54:00:aa:00" is not a MAC address; write six pairs of hex digits joined by ":", e.g. 52:54:00:3a:7c:01'],
    [{ mac: '01:00:5e:00:00:01' }, /^mac: --mac: 01:00:5e:00:00:01 is a multicast address/],
    [{ ip: '10.80.0.300' }, 'ip: --ip: "10.80.0.300" is not an IPv4 address; write it like 10.80.0.1'],
    [{ name: 'web_1' }, 'name: --name: "web_1" is not a host name; use up to 63 letters, digits and inner "-" (no dots, no "_"), e.g. web-1'],
    [{ name: '-web' }, /^name: --name: "-web" is not a host name/],
    [{ name: 'web.lab' }, /^name: --name: "web.lab" is not a host name/],
    [{ name: 'a'.repeat(64) }, /is not a host name; use up to 63/],
    [{ ip: undefined }, 'ip: --ip is missing; add it'],
    [{ hostname: 'web' }, 'hostname: hostname: not a reservation setting; remove it (check its spelling)'],
  ])('refuses bad fields: %j', (change, message) => {
    const got = messages({ ...web, ...change });
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(message);
  });

  it('accepts RFC 1123 names that start with a digit', () => {
    expect(validateReservation({ ...web, name: '1web' }, context())).toEqual([]);
  });

  it.each([
    ['10.81.0.10', '--ip 10.81.0.10 is outside network lab (10.80.0.0/24); pick another, e.g. 10.80.0.2'],
    ['10.80.0.0', '--ip 10.80.0.0 is the network address of 10.80.0.0/24, which DHCP cannot hand out; pick another, e.g. 10.80.0.2'],
    ['10.80.0.255', '--ip 10.80.0.255 is the broadcast address of 10.80.0.0/24, which DHCP cannot hand out; pick another, e.g. 10.80.0.2'],
    ['10.80.0.1', "--ip 10.80.0.1 is the gateway of network lab, the host's own address; pick another, e.g. 10.80.0.2"],
  ])('refuses address %s and suggests a free one below the dynamic range', (ip, message) => {
    expect(validateReservation({ ...web, ip }, context())).toEqual([{ field: 'ip', message }]);
  });

  it('refuses an address reserved for another MAC, suggesting one that is free', () => {
    const taken = { ...db, ip: '10.80.0.2' };
    expect(messages({ ...web, ip: '10.80.0.2' }, context({ existing: [taken] }))).toEqual([
      'ip: --ip 10.80.0.2 is already reserved for 52:54:00:aa:00:02 (db); pick another, e.g. 10.80.0.3',
    ]);
  });

  it('refuses an address leased to another guest now', () => {
    const leases = [{ mac: '52:54:00:BB:00:01', ip: '10.80.0.2' }, { mac: '52:54:00:aa:00:01', ip: '10.80.0.130' }];
    expect(messages({ ...web, ip: '10.80.0.2' }, context({ leases }))).toEqual([
      'ip: --ip 10.80.0.2 is leased to 52:54:00:BB:00:01 now, and two guests would claim it until that lease ends; pick another, e.g. 10.80.0.3',
    ]);
    // the guest's own lease is no clash: that is how a running guest gets its address pinned
    expect(validateReservation({ ...web, ip: '10.80.0.130' }, context({ leases }))).toEqual([]);
  });

  it('suggests an address in the dynamic range when everything below it is taken', () => {
    const network = { ...labSpec, dhcp: { start: '10.80.0.3', end: '10.80.0.254' } };
    const existing = [{ ...db, ip: '10.80.0.2' }];
    expect(messages({ ...web, ip: '10.80.0.1' }, context({ network, existing }))[0]).toMatch(/pick another, e\.g\. 10\.80\.0\.3$/);
  });

  it('refuses a second reservation for one MAC', () => {
    expect(messages({ ...web, ip: '10.80.0.20', name: 'web2' }, context({ existing: [web] }))).toEqual([
      'mac: --mac 52:54:00:aa:00:01 already has a reservation on lab (10.80.0.10); change or remove that one instead of adding a second',
    ]);
  });

  it('refuses a name already given, ignoring case as DNS does', () => {
    expect(messages({ ...web, name: 'DB' }, context({ existing: [db] }))).toEqual([
      'name: --name DB already names 52:54:00:aa:00:02 (10.80.0.11) on lab, and DNS names are not case-sensitive; pick another name',
    ]);
  });

  it('only compares with reservations of the same network', () => {
    expect(validateReservation(web, context({ existing: [{ ...web, network: 'other' }] }))).toEqual([]);
  });

  it('refuses a network without DHCP', () => {
    expect(messages(web, context({ network: { ...labSpec, dhcp: null } }))).toEqual([
      'network: --network lab serves no DHCP, so a reservation would never be handed out; turn DHCP on for lab, or set the address inside the guest',
    ]);
    expect(messages(web, context({ network: { name: 'lab', ipv4: null, dhcp: null } }))[0]).toMatch(/serves no DHCP \(it has no IPv4 subnet\)/);
  });

  it('names fields as a form does when given labels', () => {
    expect(validateReservation({ ...web, ip: '10.80.0.1' }, context(), { ip: 'Address' })[0]?.message).toMatch(/^Address 10\.80\.0\.1 is the gateway/);
  });

  it('stays quick in a /8 whose dynamic range fills the subnet', () => {
    const network = { name: 'big', ipv4: { subnet: '10.0.0.0/8', gateway: '10.0.0.1' }, dhcp: { start: '10.0.0.2', end: '10.255.255.254' } };
    const started = performance.now();
    expect(messages({ ...web, network: 'big', ip: '10.0.0.1' }, context({ network }))[0]).toMatch(/e\.g\. 10\.0\.0\.2$/);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
