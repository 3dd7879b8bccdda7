import { describe, expect, it } from 'vitest';
import { commandLine } from '../../../../main/core/attach/command-line';

describe('commandLine', () => {
  it('joins quoted words and keeps the argv as given', () => {
    expect(commandLine(['echo', 'a b', 'c'])).toEqual({ argv: ['echo', 'a b', 'c'], shell: "echo 'a b' c" });
  });
});
