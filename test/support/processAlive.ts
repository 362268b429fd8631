// Whether a process still exists (a zombie counts until its parent reaps it), for tests that a child
// we started is gone.
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
