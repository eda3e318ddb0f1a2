import type { KernelSpecSummary } from './gateway.js';
import { KernelError } from './kernel-notice.js';

/** The contents API URL path of `path`, each segment encoded. */
const contentsPath = (path: string): string =>
  `api/contents/${path.split('/').map(encodeURIComponent).join('/')}`;

/** Base64 of `bytes`, by chunks (btoa exists in browsers and Node alike). */
const base64 = (bytes: Uint8Array): string => {
  let binary = '';
  for (let at = 0; at < bytes.length; at += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
};

/** A kernel as the Jupyter Server REST API describes it. */
export interface JupyterKernelModel {
  id: string;
  name: string;
  execution_state?: string;
}

/**
 * The Jupyter Server REST API for kernels (`/api/kernels`), as served by
 * Jupyter Server, Kernel Gateway and Enterprise Gateway. `baseURL` includes
 * the server's base URL (`http://host:8888/` or `https://hub/user/x/`).
 */
export class JupyterRest {
  readonly baseURL: URL;

  constructor(
    baseURL: string,
    private readonly token: string | undefined,
  ) {
    this.baseURL = new URL(baseURL.endsWith('/') ? baseURL : `${baseURL}/`);
  }

  /** Sends a request; resolves with the parsed JSON body (null when empty), or with null for a 404 when `allow404`. */
  async request(method: string, path: string, body?: unknown, allow404 = false): Promise<unknown> {
    const url = new URL(path, this.baseURL);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...(this.token ? { Authorization: `token ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      // The address is for the server's log (the message), never for the cell's output (the
      // detail), which pupils read: it names a machine of the school's internal network.
      const detail = 'the server kernel is unreachable';
      throw new KernelError(`${method} ${url.href} failed: ${String(error)}`, {
        code: 'start-failed',
        detail,
      });
    }
    if (response.status === 404 && allow404) return null;
    const text = await response.text();
    if (!response.ok) {
      let reason = text.slice(0, 300);
      try {
        reason = (JSON.parse(text) as { message?: string }).message ?? reason;
      } catch {}
      throw new KernelError(`${method} ${url.pathname} answered ${response.status}: ${reason}`, {
        code: 'start-failed',
        detail: `the Jupyter server answered ${response.status}: ${reason}`,
      });
    }
    return text ? JSON.parse(text) : null;
  }

  /** Starts a kernel of the kernelspec `name`, working in the folder `path` (relative to the root) when given. */
  async startKernel(name: string, path?: string): Promise<JupyterKernelModel> {
    if (path) await this.ensureDirectory(path);
    return (await this.request(
      'POST',
      'api/kernels',
      path ? { name, path } : { name },
    )) as JupyterKernelModel;
  }

  /** Creates the folder `path` (relative to the root) and its parents where missing (contents API). */
  async ensureDirectory(path: string): Promise<void> {
    const parts = path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const at = contentsPath(parts.slice(0, i).join('/'));
      if ((await this.request('GET', `${at}?content=0`, undefined, true)) === null)
        await this.request('PUT', at, { type: 'directory' });
    }
  }

  /** Writes the file `path` (relative to the root) with `bytes`, through the contents API (base64). */
  async putFile(path: string, bytes: Uint8Array): Promise<void> {
    await this.request('PUT', contentsPath(path), {
      type: 'file',
      format: 'base64',
      content: base64(bytes),
    });
  }

  /** Removes the file `path`; one already gone is fine. */
  async deleteFile(path: string): Promise<void> {
    await this.request('DELETE', contentsPath(path), undefined, true);
  }

  /**
   * Returns an error that says the server has no kernelspec `name` and which
   * it has, or undefined when it has it (or cannot say).
   */
  async missingKernelSpec(name: string): Promise<KernelError | undefined> {
    const specs = (await this.request('GET', 'api/kernelspecs').catch(() => null)) as {
      kernelspecs?: { [name: string]: unknown };
    } | null;
    const names = Object.keys(specs?.kernelspecs ?? {});
    if (names.length === 0 || names.includes(name)) return undefined;
    const detail = `the Jupyter server has no kernel named "${name}" (it has ${names.join(', ')})`;
    return new KernelError(`No kernelspec ${JSON.stringify(name)} on ${this.baseURL.origin}`, {
      code: 'start-failed',
      detail,
    });
  }

  /**
   * Returns the server's kernelspecs (at most 100, names of letters, digits,
   * `.`, `_` and `-`, texts cut to 100 characters: the list goes to pages).
   * Rejects with an error that names no address when the server cannot be
   * reached or answers otherwise than with a kernelspec list.
   */
  async kernelSpecs(signal?: AbortSignal): Promise<KernelSpecSummary[]> {
    let raw: string;
    try {
      const response = await fetch(new URL('api/kernelspecs', this.baseURL), {
        headers: this.token ? { Authorization: `token ${this.token}` } : {},
        ...(signal ? { signal } : {}),
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`the Jupyter server answered ${response.status}`);
      }
      raw = await response.text();
    } catch (error) {
      // Never the address: this sentence goes to pages.
      const answered = error instanceof Error && error.message.startsWith('the Jupyter server answered');
      throw new Error(
        signal?.aborted
          ? 'the Jupyter server did not answer in time'
          : answered
            ? (error as Error).message
            : 'the Jupyter server is unreachable',
      );
    }
    let body: unknown = null;
    try {
      // A kernelspec list is a few kilobytes; a larger answer is not one.
      if (raw.length <= 1 << 20) body = JSON.parse(raw);
    } catch {}
    const specs = (body as { kernelspecs?: unknown } | null)?.kernelspecs;
    if (typeof specs !== 'object' || specs === null)
      throw new Error('the Jupyter server sent no kernelspec list');
    const text = (value: unknown, fallback: string) =>
      typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 100) : fallback;
    const out: KernelSpecSummary[] = [];
    for (const [name, value] of Object.entries(specs)) {
      if (out.length >= 100) break;
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) continue;
      const spec = (value as { spec?: { display_name?: unknown; language?: unknown } } | null)?.spec;
      out.push({
        name,
        display_name: text(spec?.display_name, name),
        language: text(spec?.language, '').toLowerCase(),
      });
    }
    return out;
  }

  /** Returns the kernel `id`, or null when the server no longer has it. */
  async getKernel(id: string): Promise<JupyterKernelModel | null> {
    return (await this.request(
      'GET',
      `api/kernels/${encodeURIComponent(id)}`,
      undefined,
      true,
    )) as JupyterKernelModel | null;
  }

  /** Interrupts the kernel `id` (SIGINT or an interrupt_request, as its kernelspec says). */
  async interrupt(id: string): Promise<void> {
    await this.request('POST', `api/kernels/${encodeURIComponent(id)}/interrupt`);
  }

  /** Restarts the kernel `id`; its state is lost. */
  async restart(id: string): Promise<void> {
    await this.request('POST', `api/kernels/${encodeURIComponent(id)}/restart`);
  }

  /** Shuts the kernel `id` down; a kernel already gone is fine. */
  async shutdown(id: string): Promise<void> {
    await this.request('DELETE', `api/kernels/${encodeURIComponent(id)}`, undefined, true);
  }

  /** Returns the URL of the kernel's WebSocket (`/api/kernels/<id>/channels`). */
  channelsURL(id: string, sessionId: string): string {
    const url = new URL(`api/kernels/${encodeURIComponent(id)}/channels`, this.baseURL);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('session_id', sessionId);
    // Browsers cannot set headers on a WebSocket; Jupyter servers accept the token here too.
    if (this.token) url.searchParams.set('token', this.token);
    return url.href;
  }
}
