// The daemon's JIT warm-up (src/shell/warmup.ts) must really run the hot paths, whatever the
// configuration, and leave nothing behind.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { warmUp } from '../src/shell/warmup.js';

describe('warmUp', () => {
  it('registers every synthetic client and sends their traffic', () => {
    const run = warmUp(defaultConfig, 200);
    expect(run.welcomed).toBe(200);
    expect(run.inputs).toBeGreaterThan(200 * 10);
    expect(run.bytes).toBeGreaterThan(200 * 1000);
  });

  it('runs the full path under a password, flood control and tight per-host limits', () => {
    const config = {
      ...defaultConfig,
      password: 'secret',
      flood: { ...defaultConfig.flood, enabled: true, burstMs: 0 },
      limits: { ...defaultConfig.limits, maxClients: 5, maxClientsPerHost: 1 },
    };
    expect(warmUp(config, 100).welcomed).toBe(100);
  });

  it('is deterministic: two runs do the same work', () => {
    expect(warmUp(defaultConfig, 50)).toEqual(warmUp(defaultConfig, 50));
  });
});
