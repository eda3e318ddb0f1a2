import { afterEach, describe, expect, it, vi } from 'vitest';
import { type KernelNotice, lazyKernel } from '../src/index.js';
import { fakeGateway } from './helpers/fake-kernel.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('a lazy kernel', () => {
  it('starts its kernel at the first run and shuts it down after the idle delay', async () => {
    vi.useFakeTimers();
    const gateway = fakeGateway(async () => ({}));
    const kernel = lazyKernel(gateway, { idleShutdownMs: 60_000 });
    expect(gateway.sessions).toHaveLength(0);
    await kernel.execute('a');
    await vi.advanceTimersByTimeAsync(59_000);
    await kernel.execute('b');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(gateway.sessions[0]!.shutdowns).toBe(0);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(gateway.sessions[0]!.shutdowns).toBe(1);
    expect(kernel.status).toBe('unknown');
  });

  it('says in the next run that the kernel was started again', async () => {
    vi.useFakeTimers();
    const gateway = fakeGateway(async () => ({}));
    const kernel = lazyKernel(gateway, { idleShutdownMs: 1000 });
    await kernel.execute('x = 1');
    await vi.advanceTimersByTimeAsync(1500);
    const notices: KernelNotice[] = [];
    await kernel.execute('print(x)', { onNotice: (n) => notices.push(n) });
    expect(notices).toEqual([{ code: 'idle-restart' }]);
    expect(gateway.sessions).toHaveLength(2);
    expect(gateway.sessions[1]!.codes).toEqual(['print(x)']);
  });
});
