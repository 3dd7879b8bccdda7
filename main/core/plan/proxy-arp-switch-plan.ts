import { z } from 'zod';
import { proxyArpKey } from './ip-forward';
import { Plan, type Step } from '../../helper/protocol';

/**
 * A plan that only switches proxy ARP on uplinks: the doctor's fix for a proxy-ARP network whose
 * uplink lost its proxy_arp (and that fix's undo). It names no network, so the helper finds the
 * network behind each uplink from its record (main/helper/proxy-arp-uplinks.ts); recognising the shape by this
 * schema, on both sides, keeps that lookup to plans that can do nothing else.
 */

const PROXY_ARP_KEY = /^net\.ipv4\.conf\.(?<if>[A-Za-z0-9_.-]{1,15})\.proxy_arp$/;

export const ProxyArpSwitchStep = z
  .object({ op: z.literal('sysctl.set'), key: z.string().regex(PROXY_ARP_KEY), value: z.enum(['0', '1']) })
  .strict();
export type ProxyArpSwitchStep = z.infer<typeof ProxyArpSwitchStep>;

export const ProxyArpSwitchPlan = Plan.extend({ steps: z.array(ProxyArpSwitchStep).min(1) }).strict();

/** the uplink a switch step names */
export const switchedUplink = (step: ProxyArpSwitchStep): string => PROXY_ARP_KEY.exec(step.key)!.groups!.if!;

/** one switch per uplink, parsed by the same schema the helper recognises them with */
export const proxyArpSwitchSteps = (uplinks: readonly string[], value: '0' | '1'): Step[] =>
  uplinks.map((uplink) => ProxyArpSwitchStep.parse({ op: 'sysctl.set', key: proxyArpKey(uplink), value }));
