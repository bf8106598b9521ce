// The daemon's JIT warm-up (src/shell/warmup.ts) must really run the hot paths, whatever the
// configuration, and leave nothing behind.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/core/state.js';
import { warmUp, warmUpSockets } from '../src/shell/warmup.js';

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

describe('warmUpSockets', () => {
  const handles = (): number => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;

  it('welcomes every loopback client of a throwaway server, then leaves no socket or listener open', async () => {
    const before = handles();
    const run = await warmUpSockets(defaultConfig, 120);
    expect(run.connected).toBe(120);
    expect(run.welcomed).toBe(120);
    expect(run.ms).toBeGreaterThanOrEqual(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(handles()).toBeLessThanOrEqual(before);
  });

  it('runs the full path under a password and per-host limits that would refuse its clients', async () => {
    const config = {
      ...defaultConfig,
      password: 'secret',
      flood: { ...defaultConfig.flood, enabled: true, burstMs: 0 },
      limits: { ...defaultConfig.limits, maxClients: 5, maxClientsPerHost: 1, exemptLoopback: false },
    };
    expect((await warmUpSockets(config, 40)).welcomed).toBe(40);
  });

  it('does not touch a server already listening, and with no clients just opens and closes', async () => {
    // A server of the test's own: the warm-up listens on a port of its own and never connects here.
    const seen: net.Socket[] = [];
    const other = net.createServer((s) => seen.push(s));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    expect((await warmUpSockets(defaultConfig, 10)).welcomed).toBe(10);
    expect(seen).toHaveLength(0);
    await new Promise((resolve) => other.close(resolve));
    const run = await warmUpSockets(defaultConfig, 0);
    expect(run).toEqual({ connected: 0, welcomed: 0, ms: run.ms });
  });
});
