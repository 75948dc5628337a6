// Starting the program that `exec` and `run` hand tokens to: signals, exit status and, on request,
// output with the injected secrets masked.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { MaskStream } from '../mask-stream.js';
import { err, warn } from '../style.js';

// Sent to wfvault alone (kill, a supervisor, a closed terminal): always passed on.
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];
// A terminal sends these to its whole foreground process group, so the child has them already:
// relaying them again would deliver Ctrl-C twice (many tools take a second one as "quit now").
// Sent to wfvault alone, they are passed on like the others.
const FROM_TERMINAL: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export interface ChildOptions {
  /** Secrets to replace in the child's stdout and stderr; absent means the child gets the TTY as is. */
  mask?: readonly string[];
}

/**
 * Resolves with the child's exit code, 128 + the signal number that ended it, or the shell's
 * 127 (not found) and 126 (not executable) when it cannot be started.
 */
export function runChild(command: string[], env: NodeJS.ProcessEnv, whileRunning: () => Promise<void>, options: ChildOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const [file, ...args] = command as [string, ...string[]];
    const masking = options.mask !== undefined;
    const child = spawn(file, args, { stdio: masking ? ['inherit', 'pipe', 'pipe'] : 'inherit', env });
    if (masking) {
      const secrets = options.mask ?? [];
      child.stdout!.pipe(new MaskStream(secrets)).pipe(quiet(process.stdout));
      child.stderr!.pipe(new MaskStream(secrets)).pipe(quiet(process.stderr));
    }
    const relay = (signal: NodeJS.Signals) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const fromTerminal = (signal: NodeJS.Signals) => {
      if (!terminalDelivered()) relay(signal);
    };
    for (const s of FORWARDED) process.on(s, relay);
    for (const s of FROM_TERMINAL) process.on(s, fromTerminal);
    const release = () => {
      for (const s of FORWARDED) process.off(s, relay);
      for (const s of FROM_TERMINAL) process.off(s, fromTerminal);
    };
    // Recording the use overlaps with the child so that no vault write delays its start.
    const recorded = whileRunning().catch((e: unknown) => {
      warn(`could not record the use of this token: ${e instanceof Error ? e.message : 'unknown error'}`);
    });
    let settled = false;
    const finish = (status: number) => {
      if (settled) return;
      settled = true;
      release();
      void recorded.then(() => resolve(status));
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      const [why, status] = e.code === 'ENOENT' ? ['command not found', 127] : e.code === 'EACCES' ? ['permission denied (not an executable file)', 126] : ['it could not be started', 126];
      process.stderr.write(`${err.red('error:')} Could not run "${printable(file)}": ${why}.\n`);
      finish(status);
    });
    // 'close' comes after the child's output has been drained, which masking needs.
    child.once('close', (code, signal) => {
      finish(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

/**
 * Whether a SIGINT/SIGQUIT just received came from the terminal, which sends it to the child too:
 * true when wfvault is in its terminal's foreground process group. Where /proc is missing, a
 * terminal on stdin stands for it.
 */
function terminalDelivered(): boolean {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pgrp = Number(fields[2]);
    const tpgid = Number(fields[5]);
    return tpgid > 0 && tpgid === pgrp;
  } catch {
    return Boolean(process.stdin.isTTY);
  }
}

/** Output that goes nowhere once the reader has gone (a closed pipe) rather than crashing wfvault. */
function quiet(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (stream.listenerCount('error') === 0) stream.on('error', () => {});
  return stream;
}

function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
