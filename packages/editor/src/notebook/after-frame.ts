type PostTask = (task: () => void, options: { priority: 'background' }) => Promise<unknown>;

/**
 * Calls `task` once the page has painted what it shows now, behind the tasks
 * that painting queued: a notebook's next slice of cells then comes after
 * the editors of the cells just shown (their intersection observers report
 * after the frame, and editors are created at a higher priority), not before
 * them. Runs as a background task where `scheduler.postTask` exists. A
 * hidden page paints no frame: there it runs after a plain timer (also when
 * the page is hidden while it waits). Returns a function that cancels it.
 */
export const afterNextFrame = (task: () => void): (() => void) => {
  let done = false;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const cancel = () => {
    done = true;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onHidden);
  };
  const run = () => {
    if (done) return;
    cancel();
    task();
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') timer = setTimeout(run, 0);
  };
  if (document.visibilityState === 'hidden') {
    timer = setTimeout(run, 0);
    return cancel;
  }
  document.addEventListener('visibilitychange', onHidden);
  const scheduler = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler;
  frame = requestAnimationFrame(() => {
    if (scheduler?.postTask) void scheduler.postTask.call(scheduler, run, { priority: 'background' });
    else setTimeout(run, 0);
  });
  return cancel;
};
