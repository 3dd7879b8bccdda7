import { PrivilegeSession } from '../../../main/privilege/privilege-session';
import { sudoPromptStrategy } from '../../../main/privilege/sudo-prompt-strategy';

/**
 * Runs the app's sudo-prompt elevation for real (real sudo-prompt, its two shells, our FIFOs, the
 * real helper) inside a lab whose /usr/bin/pkexec is a stand-in for the polkit dialog.
 * argv: <runtime> <helper bundle> [<AppImage>]. Prints one JSON line per step.
 */
async function main(): Promise<void> {
  const [runtime, script, appImage] = process.argv.slice(2);
  if (!runtime || !script) throw new Error('usage: sudo-prompt-driver <runtime> <helper bundle> [<AppImage>]');
  const location = { runtime, script, ...(appImage ? { appImage } : {}) };
  const session = new PrivilegeSession(async () => ({ strategy: sudoPromptStrategy(location) }));
  const state = await session.elevate();
  console.log(JSON.stringify({ state }));
  if (state.status !== 'elevated') return;
  const helper = session.helper();
  console.log(JSON.stringify({ ping: await helper.ping() }));
  const exited = helper.exited;
  await session.dispose();
  console.log(JSON.stringify({ exit: await exited }));
}

main().catch((e: Error) => {
  console.log(JSON.stringify({ error: e.message }));
  process.exit(1);
});
