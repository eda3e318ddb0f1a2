// Network faults, fast run: connections cut in the middle of a message by a
// TCP proxy, and clients offline for a while with many local edits. The long
// run is test/chaos/network.test.ts (npm run test:chaos).
import { describe, expect, it } from 'vitest';
import { cutsMidMessage, longOffline } from '../../test/chaos/network-scenarios.js';

const seed = () => Number(process.env.SEED ?? Date.now() % 1e9);

describe('network faults', () => {
  it('converges with every marker once after connections are cut mid-message', async () => {
    const s = seed();
    const report = await cutsMidMessage({ rooms: 2, perRoom: 4, rounds: 6, seed: s });
    console.log(`network cuts (fast): ${JSON.stringify(report)} (seed ${s})`);
    expect(report.midMessageCuts).toBeGreaterThan(0);
    expect(report.cuts).toBeGreaterThanOrEqual(6 * report.clients * 0.5);
  });

  it('converges with every marker once after an offline period with many local edits', async () => {
    const s = seed();
    const report = await longOffline({ online: 2, offline: 2, offlineMs: 2500, seed: s });
    console.log(`offline (fast): ${JSON.stringify(report)} (seed ${s})`);
    expect(report.offlineMarkers).toBeGreaterThan(300);
  });
});
