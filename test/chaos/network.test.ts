// Network faults at scale (npm run test:chaos): many cuts in the middle of
// messages, and a long offline period with thousands of local edits. The fast
// run of the same scenarios is server/test/network-faults.test.ts.
import { describe, expect, it } from 'vitest';
import { cutsMidMessage, longOffline } from './network-scenarios.js';

const seed = () => Number(process.env.SEED ?? Date.now() % 1e9);

describe('network faults (long run)', () => {
  it('converges with every marker once after 40 rounds of connections cut mid-message', async () => {
    const s = seed();
    const report = await cutsMidMessage({ rooms: 3, perRoom: 6, rounds: 40, seed: s });
    console.log(`network cuts: ${JSON.stringify(report)} (seed ${s})`);
    expect(report.midMessageCuts).toBeGreaterThan(0);
    expect(report.cuts).toBeGreaterThanOrEqual(40 * report.clients * 0.5);
  });

  it('converges with every marker once after 30 s offline with thousands of local edits', async () => {
    const s = seed();
    const report = await longOffline({ online: 4, offline: 4, offlineMs: 30_000, seed: s });
    console.log(`long offline: ${JSON.stringify(report)} (seed ${s})`);
    expect(report.offlineMarkers).toBeGreaterThan(2000);
  });
});
