// An interactive shell in a terminal, typed into as a person would: util-linux `script` gives the shell a
// pseudo-terminal (line editing and TAB work only there) and passes our keys to it. Ctrl-T is bound to
// print the line being edited as `LINE[…]`, which is how a test reads what completion made of it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export type ShellName = 'bash' | 'zsh' | 'fish';

const COMMAND: Record<ShellName, string> = {
  bash: 'bash --norc --noprofile -i',
  zsh: 'zsh -f -i',
  fish: 'fish --no-config -i',
};

/**
 * Emacs keys whatever EDITOR says (zsh takes vi keys when it names vi, and then inserts Ctrl-A as text), the
 * prompt, and Ctrl-T printing the line; then `setup`, then a word that says it is done
 */
const PREPARE: Record<ShellName, string> = {
  bash: `set -o emacs; PS1='$ '; bind -x '"\\C-t": printf "\\nLINE[%s]\\n" "$READLINE_LINE"'`,
  zsh: `bindkey -e; autoload -U compinit && compinit -u; PS1='$ '; print-line() { zle -I; print -r -- "LINE[$BUFFER]" }; zle -N print-line; bindkey '^T' print-line`,
  fish: `fish_default_key_bindings; function fish_prompt; echo '$ '; end; bind \\ct 'printf "\\nLINE[%s]\\n" (commandline)'`,
};

// CSI and OSC sequences (colours, cursor moves, titles) around what the shells print
const TERMINAL_SEQUENCES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[()][0-9A-Za-z]|\u001b[=>]/g;

export class TerminalShell {
  private readonly child: ChildProcessWithoutNullStreams;
  private output = '';
  private readonly waiting = new Set<() => void>();

  private constructor(shell: ShellName, options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.child = spawn('script', ['-qfec', COMMAND[shell], '/dev/null'], { cwd: options.cwd, env: { ...options.env, TERM: 'xterm' } });
    const heard = (data: Buffer) => {
      this.output += data.toString('utf8').replace(TERMINAL_SEQUENCES, '');
      for (const check of [...this.waiting]) check();
    };
    this.child.stdout.on('data', heard);
    this.child.stderr.on('data', heard);
  }

  /** `shell` started in `cwd` with `env`; `setup` (one line of that shell's commands) run before it is handed over */
  static async start(shell: ShellName, setup: string, options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<TerminalShell> {
    const terminal = new TerminalShell(shell, options);
    // quoted apart, so that the echo of the typed line does not already read as the word
    terminal.child.stdin.write(`${PREPARE[shell]}; ${setup}; echo SHELL""READY\n`);
    await terminal.until(/SHELL(READY)/, 0, 'the shell to start');
    return terminal;
  }

  /** Types `text`, presses TAB, and answers the line as completion left it (the line is then cleared). */
  async tab(text: string): Promise<string> {
    return (await this.tabShowing(text)).line;
  }

  /** As tab(), with what the terminal showed meanwhile (the list of candidates where there are several) */
  async tabShowing(text: string): Promise<{ line: string; shown: string }> {
    const from = this.output.length;
    this.child.stdin.write(`${text}\t\x14`);
    const line = await this.until(/LINE\[([^\]\r\n]*)\]/, from, `the line after TAB on '${text}'`);
    const shown = this.output.slice(from);
    // Ctrl-A, Ctrl-K: to the start of the line, and cut it
    this.child.stdin.write('\x01\x0b');
    return { line, shown };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin.end('exit\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  /** the first group of `pattern` once it shows in the output after `from`; fails after 30 s, saying what came */
  private until(pattern: RegExp, from: number, what: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this.output.slice(from));
        if (!m) return;
        done();
        resolve(m[1]);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`waited 30 s for ${what}; the terminal showed: ${JSON.stringify(this.output.slice(from).slice(-800))}`));
      }, 30_000);
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(check);
      };
      this.waiting.add(check);
      check();
    });
  }
}
