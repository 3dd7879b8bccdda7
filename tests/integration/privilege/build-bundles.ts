import { buildNodeBundle } from '../../lab/build-node-bundle';
import { NODE_ENTRIES } from '../../../vite.node.config';

/** The real helper, built as the app ships it, and the driver that starts it through sudo-prompt. */
export async function buildPrivilegeBundles(): Promise<{ helper: string; sudoPromptDriver: string; remove(): Promise<void> }> {
  const [helper, driver] = await Promise.all([
    buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']),
    buildNodeBundle('sudo-prompt-driver', 'tests/integration/privilege/sudo-prompt-driver.ts'),
  ]);
  return {
    helper: helper.path,
    sudoPromptDriver: driver.path,
    remove: async () => { await Promise.all([helper.remove(), driver.remove()]); },
  };
}
