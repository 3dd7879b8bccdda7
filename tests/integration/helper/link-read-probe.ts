import { procSysHostIo } from '../../../main/helper/host-io';

/** Run inside a lab: prints the links as ip reads them and as sysfs reads them (null: sysfs refused), one JSON object. */
async function main(): Promise<void> {
  const [ip, sysfs] = await Promise.all([procSysHostIo.readLinks(), procSysHostIo.readLinksWithoutAddresses()]);
  process.stdout.write(`${JSON.stringify({ ip: [...ip.values()], sysfs: sysfs ? [...sysfs.values()] : null })}\n`);
}

void main();
