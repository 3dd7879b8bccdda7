import type { ElevationMethod } from '../core/privilege-state';
import type { HelperConnection } from './helper-connection';

/** One way of starting the root helper; exactly one is chosen per attempt. */
export interface ElevationStrategy {
  readonly method: ElevationMethod;
  /**
   * How long a launched helper may take to answer its first ping. Undefined while a password
   * dialog may be open: the user takes as long as they need, and the launcher's exit settles it.
   */
  readonly readyTimeoutMs?: number;
  /** starts the helper, showing the password dialog where the method has one */
  launch(): Promise<HelperConnection>;
}
