import { describe, expect, it } from 'vitest';
import { quotePath, sudoPromptCommand, UnsafePathError } from '../../../main/privilege/sudo-prompt-command';

const paths = {
  runtime: '/tmp/.mount_KVMNetA1b2C3/kvmnet',
  script: '/tmp/.mount_KVMNetA1b2C3/resources/helper/kvmnet-helper.cjs',
  input: '/run/user/1000/kvmnet-helper-x1Y2z3/to-helper',
  output: '/run/user/1000/kvmnet-helper-x1Y2z3/from-helper',
};

describe('sudoPromptCommand', () => {
  it('runs the helper under the app runtime with its stdio on the two FIFOs', () => {
    expect(sudoPromptCommand(paths)).toBe(
      "exec /usr/bin/env ELECTRON_RUN_AS_NODE=1 '/tmp/.mount_KVMNetA1b2C3/kvmnet' '/tmp/.mount_KVMNetA1b2C3/resources/helper/kvmnet-helper.cjs'" +
        " <'/run/user/1000/kvmnet-helper-x1Y2z3/to-helper' >'/run/user/1000/kvmnet-helper-x1Y2z3/from-helper'",
    );
  });

  it('accepts spaces and non-ASCII letters, which single quotes keep literal', () => {
    expect(quotePath('script', '/home/nguyễn/My Apps/kvmnet/out/node/kvmnet-helper.cjs')).toBe("'/home/nguyễn/My Apps/kvmnet/out/node/kvmnet-helper.cjs'");
  });

  it.each([
    ['relative', 'out/node/kvmnet-helper.cjs'],
    ['single quote', "/home/o'brien/kvmnet"],
    ['double quote', '/home/x"y/kvmnet'],
    ['dollar', '/home/$(id)/kvmnet'],
    ['backtick', '/home/`id`/kvmnet'],
    ['backslash', '/home/a\\b/kvmnet'],
    ['exclamation', '/home/a!b/kvmnet'],
    ['semicolon', '/home/a;reboot/kvmnet'],
    ['equals (env would read an assignment)', '/opt/A=B/kvmnet'],
    ['newline', '/home/a\nb/kvmnet'],
    ['dot-dot', '/opt/KVMNet/../../bin/sh'],
    ['double slash', '/opt//KVMNet/kvmnet'],
  ])('refuses a path with %s, naming the field', (_name, bad) => {
    expect(() => sudoPromptCommand({ ...paths, runtime: bad })).toThrow(UnsafePathError);
    expect(() => sudoPromptCommand({ ...paths, runtime: bad })).toThrow(/^runtime "/);
  });
});
