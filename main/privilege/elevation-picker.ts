import { chooseElevation } from './choose-elevation';
import { readElevationFacts } from './elevation-facts';
import type { HelperLocation } from './helper-location';
import { pkexecHelperCommand, pkexecStrategy } from './pkexec-strategy';
import type { ElevationPick } from './privilege-session';
import { rootHelperCommand, rootStrategy } from './root-strategy';
import { sudoPromptStrategy } from './sudo-prompt-strategy';

/** Reads the machine at each attempt and builds the matching strategy for the app's helper. */
export function elevationPicker(location: HelperLocation, onLog?: (line: string) => void): () => Promise<ElevationPick> {
  return async () => {
    const choice = chooseElevation(await readElevationFacts());
    switch (choice.method) {
      case 'root':
        return { strategy: rootStrategy(rootHelperCommand(location), onLog) };
      case 'pkexec':
        return { strategy: pkexecStrategy(pkexecHelperCommand(), onLog) };
      case 'sudo-prompt':
        return { strategy: sudoPromptStrategy(location) };
      case null:
        return { unavailable: choice.detail };
    }
  };
}
