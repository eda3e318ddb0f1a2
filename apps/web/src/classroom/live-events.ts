import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Whether the live events arrive: `connecting`, `live`, or `lost` (the browser retries by itself). */
export type LiveState = 'connecting' | 'live' | 'lost';

/**
 * Listens to one event type of a Server-Sent Events URL while its host
 * element is in the page: parses each event's JSON and hands it to `onData`;
 * a malformed event is skipped (it comes from the network). EventSource
 * reconnects by itself; `state` says whether events arrive now.
 */
export class LiveEvents<T> implements ReactiveController {
  state: LiveState = 'connecting';
  private source: EventSource | null = null;
  private retry: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly url: () => string | null,
    private readonly event: string,
    private readonly onData: (data: T) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.open();
  }

  hostDisconnected(): void {
    this.source?.close();
    this.source = null;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.requestUpdate();
  }

  private open(): void {
    const url = this.url();
    if (!url || typeof EventSource === 'undefined') return;
    const source = new EventSource(url);
    this.source = source;
    source.addEventListener('open', () => this.setState('live'));
    source.addEventListener('error', () => {
      this.setState('lost');
      // A refused or failed answer closes the source for good: try again a little later.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        this.retry = setTimeout(() => {
          if (this.source === source) this.open();
        }, 5000);
      }
    });
    source.addEventListener(this.event, (e) => {
      this.setState('live');
      let data: T;
      try {
        data = JSON.parse((e as MessageEvent<string>).data) as T;
      } catch {
        return;
      }
      this.onData(data);
    });
  }
}
