import { describe, expect, it } from 'vitest';
import { helperLocation } from '../../../main/privilege/helper-location';
import { rootHelperCommand } from '../../../main/privilege/root-strategy';
import { pkexecHelperCommand } from '../../../main/privilege/pkexec-strategy';

describe('helper location and commands', () => {
  it('runs the bundle outside the asar in the packaged app', () => {
    expect(helperLocation({ packaged: true, execPath: '/opt/KVMNet/kvmnet', resourcesPath: '/opt/KVMNet/resources', appPath: '/opt/KVMNet/resources/app.asar' })).toEqual({
      runtime: '/opt/KVMNet/kvmnet',
      script: '/opt/KVMNet/resources/helper/kvmnet-helper.cjs',
    });
  });

  it('records the AppImage file when packaged as one, since root cannot enter its FUSE mount', () => {
    const paths = { execPath: '/tmp/.mount_KVMNetx/kvmnet', resourcesPath: '/tmp/.mount_KVMNetx/resources', appPath: '/tmp/.mount_KVMNetx/resources/app.asar', appImage: '/home/an/KVMNet.AppImage' };
    expect(helperLocation({ ...paths, packaged: true })).toEqual({
      runtime: '/tmp/.mount_KVMNetx/kvmnet',
      script: '/tmp/.mount_KVMNetx/resources/helper/kvmnet-helper.cjs',
      appImage: '/home/an/KVMNet.AppImage',
    });
    expect(helperLocation({ ...paths, packaged: false }).appImage).toBeUndefined();
  });

  it('runs the freshly built bundle in development', () => {
    expect(helperLocation({ packaged: false, execPath: '/w/node_modules/electron/dist/electron', resourcesPath: '/w/node_modules/electron/dist/resources', appPath: '/w' }).script).toBe(
      '/w/out/node/kvmnet-helper.cjs',
    );
  });

  it('gives a root helper Electron-as-node and a system PATH, nothing inherited', () => {
    expect(rootHelperCommand({ runtime: '/opt/KVMNet/kvmnet', script: '/opt/KVMNet/resources/helper/kvmnet-helper.cjs' })).toEqual({
      file: '/opt/KVMNet/kvmnet',
      args: ['/opt/KVMNet/resources/helper/kvmnet-helper.cjs'],
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('asks pkexec for the fixed launcher of the polkit action, without arguments of ours', () => {
    const command = pkexecHelperCommand({ PATH: '/usr/bin', DISPLAY: ':0', UNSET: undefined });
    expect(command).toEqual({ file: 'pkexec', args: ['--disable-internal-agent', '/usr/libexec/kvmnet/kvmnet-helper'], env: { PATH: '/usr/bin', DISPLAY: ':0' } });
  });
});
