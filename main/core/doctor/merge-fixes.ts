import type { Fix } from './doctor-report';

/** one fix for several findings of the same check: every command once, safe only if all are */
export function mergeFixes(fixes: readonly Fix[]): Fix | undefined {
  if (fixes.length === 0) return undefined;
  const unique = (items: string[]) => [...new Set(items)];
  return {
    description: unique(fixes.map((f) => f.description)).join(' '),
    commands: unique(fixes.flatMap((f) => f.commands)),
    safe: fixes.every((f) => f.safe),
    undo: unique(fixes.map((f) => f.undo)).join(' '),
  };
}
