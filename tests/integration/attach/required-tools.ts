import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (tool: string) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });

/**
 * Why a test cannot run here: the tools missing, each with the Debian package that brings it.
 * Printed when the test skips; in CI (which installs every package) the caller fails instead.
 */
export function missingToolsReason(tools: readonly (readonly [tool: string, debianPackage: string])[]): string | undefined {
  const missing = tools.filter(([tool]) => !onPath(tool));
  return missing.length ? `not installed: ${missing.map(([tool, pkg]) => `${tool} (Debian package ${pkg})`).join(', ')}` : undefined;
}

export const inCi = Boolean(process.env.CI);
