import { browserCatalog, catalogOf, type KernelCatalog } from './kernel-choice.js';
import { httpBaseOf } from './server-runner.js';

/**
 * Asks the Candyce server `server` (its sync URL) what it offers to run
 * notebooks with (`GET /api/kernels`); resolves with the browser kernels
 * alone when there is no server, or it does not answer within 5 seconds.
 */
export const loadKernelCatalog = async (server: string, token: string): Promise<KernelCatalog> => {
  if (!server) return browserCatalog;
  try {
    const response = await fetch(`${httpBaseOf(server)}/api/kernels`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) return browserCatalog;
    return catalogOf(await response.json());
  } catch {
    return browserCatalog;
  }
};
