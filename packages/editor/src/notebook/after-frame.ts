type PostTask = (task: () => void, options: { priority: 'background' }) => Promise<unknown>;

/** How long a page that paints no frame (a hidden tab) waits all the same. */
const noFrameMs = 250;

/**
 * Calls `task` once the page has painted what it shows now, behind the tasks
 * that painting queued: a notebook's next slice of cells then comes after
 * the editors of the cells just shown (their intersection observers report
 * after the frame, and editors are created at a higher priority), not before
 * them. Runs as a background task where `scheduler.postTask` exists; a page
 * that paints no frame (hidden) runs it after a timer. Returns a function
 * that cancels it.
 */
export const afterNextFrame = (task: () => void): (() => void) => {
  let done = false;
  const cancel = () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  };
  const run = () => {
    if (done) return;
    cancel();
    task();
  };
  const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;
  const frame = requestAnimationFrame(() => {
    if (scheduler?.postTask) void scheduler.postTask.call(scheduler, run, { priority: 'background' });
    else setTimeout(run, 0);
  });
  const timer = setTimeout(run, noFrameMs);
  return cancel;
};
