import type { ServerResponse } from 'node:http';

// Server-Sent Events of the classroom: the teacher's dashboard (`event:
// dashboard`, every copy's row) and a pupil's copy status (`event: status`).
// Each stream gets its event at once, then again whenever it changes:
// dashboards at most twice a second, statuses at once. A sweep every second
// catches what no event announces (a connection opening, a deadline passing)
// and keeps idle streams alive through proxies.

/** How the hub computes what a stream shows; null when the activity or copy is gone. */
export interface EventSources {
  dashboard(activity: string): unknown;
  status(activity: string, copy: string): unknown;
}

interface Stream {
  readonly res: ServerResponse;
  readonly activity: string;
  /** Null for a teacher's dashboard, the copy id for a pupil's status. */
  readonly copy: string | null;
  last: string;
  lastWriteAt: number;
  /** False once the stream's token no longer grants it (a revoked teacher link): it ends. */
  readonly valid: () => boolean;
}

const dashboardIntervalMs = 500;
const sweepIntervalMs = 1000;
const keepAliveMs = 25_000;

/** The open event streams, and the throttled delivery of changes to them. */
export class EventHub {
  private readonly streams = new Set<Stream>();
  private readonly throttles = new Map<string, { timer: NodeJS.Timeout | null; sentAt: number }>();
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly sources: EventSources) {}

  /** Number of open streams. */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Opens an event stream on `res`: a teacher's dashboard when `copy` is
   * null, otherwise the status of that copy. It ends when the client leaves,
   * or once `valid` answers false (checked at every event and sweep).
   */
  open(res: ServerResponse, activity: string, copy: string | null, valid: () => boolean = () => true): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    const stream: Stream = { res, activity, copy, last: '', lastWriteAt: Date.now(), valid };
    this.streams.add(stream);
    res.on('close', () => this.streams.delete(stream));
    this.send(stream);
    if (!this.sweeper && !this.closed) {
      this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
      this.sweeper.unref();
    }
  }

  /**
   * Announces a change in an activity: its dashboards are refreshed (throttled);
   * the status streams of `copy` too, or of every copy when `copy` is
   * undefined (an activity-wide change); none when it is null (statistics).
   */
  changed(activity: string, copy?: string | null): void {
    if (this.closed) return;
    // Statistics (null) come with every edit of a pupil and concern no status stream.
    if (copy !== null)
      for (const stream of this.streams)
        if (
          stream.activity === activity &&
          stream.copy !== null &&
          (copy === undefined || copy === stream.copy)
        )
          this.send(stream);
    this.scheduleDashboard(activity);
  }

  private scheduleDashboard(activity: string): void {
    let throttle = this.throttles.get(activity);
    if (!throttle) {
      throttle = { timer: null, sentAt: 0 };
      this.throttles.set(activity, throttle);
    }
    if (throttle.timer) return;
    const entry = throttle;
    entry.timer = setTimeout(
      () => {
        entry.timer = null;
        entry.sentAt = Date.now();
        for (const stream of this.streams)
          if (stream.activity === activity && stream.copy === null) this.send(stream);
        if (![...this.streams].some((s) => s.activity === activity)) this.throttles.delete(activity);
      },
      Math.max(0, entry.sentAt + dashboardIntervalMs - Date.now()),
    );
    entry.timer.unref();
  }

  /** Ends every stream (server shutdown). */
  close(): void {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    for (const { timer } of this.throttles.values()) if (timer) clearTimeout(timer);
    this.throttles.clear();
    for (const stream of this.streams) stream.res.end();
    this.streams.clear();
  }

  private send(stream: Stream): void {
    const data = !stream.valid()
      ? null
      : stream.copy === null
        ? this.sources.dashboard(stream.activity)
        : this.sources.status(stream.activity, stream.copy);
    if (data === null) {
      stream.res.end();
      this.streams.delete(stream);
      return;
    }
    const text = JSON.stringify(data);
    if (text === stream.last) return;
    stream.last = text;
    stream.lastWriteAt = Date.now();
    stream.res.write(`event: ${stream.copy === null ? 'dashboard' : 'status'}\ndata: ${text}\n\n`);
  }

  private sweep(): void {
    if (this.streams.size === 0) {
      if (this.sweeper) clearInterval(this.sweeper);
      this.sweeper = null;
      return;
    }
    const now = Date.now();
    for (const stream of [...this.streams]) {
      // Dashboards through the throttle: a sweep never adds a third message in a second.
      if (stream.copy === null) this.scheduleDashboard(stream.activity);
      else this.send(stream);
      if (this.streams.has(stream) && now - stream.lastWriteAt > keepAliveMs) {
        stream.lastWriteAt = now;
        stream.res.write(': keep-alive\n\n');
      }
    }
  }
}
