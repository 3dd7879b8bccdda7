import { describe, expect, it } from 'vitest';
import { parsePasswd } from '../../../main/host/local-users';

describe('parsePasswd', () => {
  it('maps each local user name to its uid, the first entry winning, skipping junk', () => {
    const uids = parsePasswd('root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nalice:x:2000:2000::/x:/bin/sh\n\n#comment\nbad:x:notanumber:0::/:/bin/false\n');
    expect([...uids]).toEqual([['root', 0], ['alice', 1000]]);
  });
});
