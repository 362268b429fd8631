// A directory no process can read, root included (the tests run as root, whom a mode does not stop).
import * as fs from 'node:fs';

/**
 * A directory below `parent` that no process can read, root included: nested so deep that its path is
 * longer than the system's limit (ENAMETOOLONG). Made and removed step by step with relative names.
 */
export function unreadableDirectoryIn(parent: string): () => void {
  const name = 'd'.repeat(200);
  const levels = 25; // 25 x 201 characters: past Linux's 4,096
  const cwd = process.cwd();
  try {
    process.chdir(parent);
    for (let i = 0; i < levels; i++) {
      fs.mkdirSync(name);
      process.chdir(name);
    }
  } finally {
    process.chdir(cwd);
  }
  return () => {
    try {
      process.chdir(parent);
      for (let i = 0; i < levels - 1; i++) process.chdir(name);
      for (let i = 0; i < levels; i++) {
        fs.rmdirSync(name);
        process.chdir('..');
      }
    } finally {
      process.chdir(cwd);
    }
  };
}
