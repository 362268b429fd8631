// picomatch, which matches the glob patterns `check` is given quoted, in a bundle of its own
// (dist/cli/glob.js, loaded through lazy.ts): most runs name files or directories, and inside the
// check bundle its code was compiled by every run (a tenth of that bundle).
import picomatch from 'picomatch';

export { picomatch };
