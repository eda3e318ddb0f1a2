// Features govern their rooms' server kernels through a kernel policy: the
// group whose cap a room counts against, and why a room may not start the
// kernel it asks for. Only owning features are asked; a policy that throws
// is logged and counted, and a problem check that throws refuses the start.
import { describe, expect, it } from 'vitest';
import { FeatureSet } from '../src/features/feature-set.js';
import type { Feature } from '../src/index.js';
import { KernelBudget, KernelBudgetFull } from '../src/kernel-budget.js';
import { createLogger } from '../src/logger.js';
import { createMetrics } from '../src/metrics.js';
import type { Room } from '../src/room.js';

const errors = async (metrics: ReturnType<typeof createMetrics>, hook: string): Promise<number> => {
  const { values } = await metrics.featureErrors.get();
  return values.find((v) => v.labels.hook === hook)?.value ?? 0;
};

const room = (name: string) => ({ name }) as unknown as Room;

const features = (): Feature[] => [
  { name: 'quiet', roomPrefixes: ['q-'] },
  {
    name: 'groups',
    roomPrefixes: ['g-', 'bad-'],
    kernelPolicy: {
      group: (name) => {
        if (name.startsWith('bad-')) throw new Error('group exploded');
        return name.split('-')[1] ?? null;
      },
      problem: async ({ room: r }) => {
        if (r.name.startsWith('bad-')) throw new Error('problem exploded');
        return r.name.endsWith('-locked') ? 'locked copy' : null;
      },
    },
  },
  // Owns nothing: its policy is never asked, whatever it would say.
  { name: 'stranger', kernelPolicy: { group: () => 'everything', problem: () => 'never' } },
];

describe('kernel policies', () => {
  it('groups and checks the rooms of the owning features only', async () => {
    const set = new FeatureSet(features(), createLogger('silent'), createMetrics());
    expect(set.kernelGroup('g-a1-copy')).toBe('a1');
    expect(set.kernelGroup('q-room')).toBeNull();
    expect(set.kernelGroup('plain')).toBeNull();
    expect(await set.kernelProblem(room('g-a1-locked'))).toBe('locked copy');
    expect(await set.kernelProblem(room('g-a1-open'))).toBeNull();
    expect(await set.kernelProblem(room('plain'))).toBeNull();
  });

  it('counts a throwing group against the server cap only, and refuses the start when a check throws', async () => {
    const metrics = createMetrics();
    const set = new FeatureSet(features(), createLogger('silent'), metrics);
    expect(set.kernelGroup('bad-x')).toBeNull();
    expect(await errors(metrics, 'kernelGroup')).toBe(1);
    expect(await set.kernelProblem(room('bad-x'))).toMatch(/could not be checked/);
    expect(await errors(metrics, 'kernelProblem')).toBe(1);
  });

  it('caps each group on its own beside the server cap', () => {
    const set = new FeatureSet(features(), createLogger('silent'), createMetrics());
    const budget = new KernelBudget(4, 2, (name) => set.kernelGroup(name));
    budget.take('g-a-1');
    budget.take('g-a-2');
    expect(() => budget.take('g-a-3')).toThrow(KernelBudgetFull);
    budget.take('g-b-1');
    budget.take('plain');
    expect(() => budget.take('g-c-1')).toThrow(expect.objectContaining({ scope: 'server' }));
    budget.release('g-a-1');
    budget.take('g-a-3');
    expect(budget.size).toBe(4);
  });
});
