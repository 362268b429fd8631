// Offsets to line numbers as the editor shows them: \n, \r\n and a lone \r each end a line, as in
// LSP. (libxml2 counts only \n in its own messages; ours name the line the user sees.)

/** offset → 0-based line, by binary search over the line starts, built once per text */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}
