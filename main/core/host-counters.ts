import { z } from 'zod';
import { LinkStats } from './host-snapshot';

/**
 * One read of every link's traffic counters, cheaper than a whole snapshot: what the renderer
 * needs to turn counters into rates while it shows them (the counters feed pushes one every few
 * seconds; traffic makes no netlink event that would bring a new snapshot).
 */
export const LinkCounters = LinkStats.extend({ name: z.string() });
export type LinkCounters = z.infer<typeof LinkCounters>;

export const HostCounters = z.object({
  takenAt: z.string(),
  links: z.array(LinkCounters),
});
export type HostCounters = z.infer<typeof HostCounters>;
