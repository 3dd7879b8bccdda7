import type { AppInfo } from '../ipc/channels';
import type { HostSnapshot } from '../core/host-snapshot';
import type { PrivilegeState } from '../core/privilege-state';
import type { DoctorService } from './doctor-service';
import type { NetworkService } from './network-service';
import type { CountersFeed } from './counters-feed';
import type { BridgedService } from './bridged-service';
import type { GuestService } from './guest-service';

/**
 * What the IPC handlers need from the rest of main. The Electron app passes the live observer and
 * the privilege session; the E2E test transport passes its own (lab-backed) ones. Nothing here
 * may depend on 'electron'.
 */
export interface Services {
  appInfo(): AppInfo;
  observer: { snapshot(): Promise<HostSnapshot> };
  privilege: {
    state(): PrivilegeState;
    /** asks for root at most once per attempt; a refusal resolves, it does not throw */
    elevate(): Promise<PrivilegeState>;
  };
  doctor: Pick<DoctorService, 'run' | 'fix' | 'undo'>;
  /** networks: list, validate, plan and change them (createNetworkService) */
  networks: NetworkService;
  /** the links' counters, pushed while a diagram watches them (CountersFeed) */
  counters: Pick<CountersFeed, 'watch'>;
  /** bridges to the LAN: plan, create with a confirmation countdown, keep, undo, delete (createBridgedService) */
  bridged: Pick<BridgedService, 'list' | 'plan' | 'create' | 'confirm' | 'rollback' | 'delete'>;
  /** guests on a network: attach, taps, leases, forwards, reservations (createGuestService) */
  guests: GuestService;
}
