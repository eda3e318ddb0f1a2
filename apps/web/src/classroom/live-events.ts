import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { EventsSource } from './api.js';

/** Whether the live events arrive: `connecting`, `live`, or `lost` (retried by itself). */
export type LiveState = 'connecting' | 'live' | 'lost';

/** Delay before opening a stream again after it ended (the server's `retry:`), and after a refusal. */
const retryMs = 2000;
const refusedRetryMs = 5000;

/**
 * Listens to one event type of a Server-Sent Events stream while its host
 * element is in the page: parses each event's JSON and hands it to `onData`;
 * a malformed event is skipped (it comes from the network). The stream is
 * read with fetch so that the token goes in the Authorization header (not in
 * the URL, as EventSource would need); it is opened again when it ends.
 * `state` says whether events arrive now.
 */
export class LiveEvents<T> implements ReactiveController {
  state: LiveState = 'connecting';
  private controller: AbortController | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: () => EventsSource | null,
    private readonly event: string,
    private readonly onData: (data: T) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.open();
  }

  hostDisconnected(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.requestUpdate();
  }

  private open(): void {
    const source = this.source();
    if (!source || typeof fetch === 'undefined') return;
    const controller = new AbortController();
    this.controller = controller;
    void this.read(source, controller).then((delay) => {
      if (this.controller !== controller) return;
      this.setState('lost');
      this.retry = setTimeout(() => {
        if (this.controller === controller) this.open();
      }, delay);
    });
  }

  /** Reads one stream until it ends; resolves to the delay before the next try. */
  private async read(source: EventsSource, controller: AbortController): Promise<number> {
    let response: Response;
    try {
      response = await fetch(source.url, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${source.token}` },
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch {
      return retryMs;
    }
    if (!response.ok || !response.body) return refusedRetryMs;
    this.setState('live');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return retryMs;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          this.dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
        // A server that never ends a block must not grow this page's memory.
        if (buffer.length > 4 * 1024 * 1024) return refusedRetryMs;
      }
    } catch {
      return retryMs;
    }
  }

  private dispatch(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (event !== this.event || data.length === 0) return;
    this.setState('live');
    let parsed: T;
    try {
      parsed = JSON.parse(data.join('\n')) as T;
    } catch {
      return;
    }
    this.onData(parsed);
  }
}
