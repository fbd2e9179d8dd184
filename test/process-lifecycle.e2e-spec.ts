import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { compileForChildProcess } from './support/child-app';

/** In this engineer's port range (the summary line names the configured port, so not 0). */
const PORT = 41310;

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  [key: string]: unknown;
}

/** `node src/main.js` of the compiled tree, exactly as `npm run start:prod` runs it. */
class MainProcess {
  readonly lines: LogLine[] = [];
  readonly stray: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private waiters: Array<() => void> = [];

  constructor(outDir: string, env: Record<string, string>) {
    this.child = spawn(
      process.execPath,
      ['-r', join(outDir, 'paths.js'), join(outDir, 'src/main.js')],
      {
        env: { ...process.env, NODE_OPTIONS: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as LogLine);
      } catch {
        this.stray.push(line);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) =>
      this.child.on('exit', (code, signal) => {
        for (const wake of this.waiters.splice(0)) wake();
        done({ code, signal });
      }),
    );
  }

  /** Resolves with the first log line matching, failing if the process exits first. */
  async lineMatching(test: (line: LogLine) => boolean): Promise<LogLine> {
    for (;;) {
      const found = this.lines.find(test);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`exited before the line appeared; stderr: ${this.stderr}`);
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
}

describe('the server process', () => {
  let outDir: string;
  let main: MainProcess | undefined;

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'helpdesk-main-child-'));
    const root = resolve(__dirname, '..');
    compileForChildProcess(root, outDir, []);
  }, 120_000);

  afterEach(async () => {
    if (main?.alive) {
      main.kill('SIGKILL');
      await main.exited;
    }
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('starts with a short summary in one format, ignores SIGUSR2, and stops on SIGTERM', async () => {
    main = new MainProcess(outDir, { PORT: String(PORT), APP_ROLE: 'api', LOG_LEVEL: 'info' });
    const summary = await main.lineMatching((line) => /listening on/.test(line.msg));
    expect(summary).toMatchObject({ level: 30, role: 'api', url: `http://localhost:${PORT}` });
    // One format (pino JSON) and no Nest module/route chatter at info: was ~140 lines in two formats.
    expect(main.stray).toEqual([]);
    expect(main.lines.filter((line) => line.level === 30)).toHaveLength(1);
    // Warnings only about secrets this environment leaves unset, if any.
    expect(main.lines.filter((line) => line.level > 30 && !/is not set/.test(line.msg))).toEqual(
      [],
    );

    main.kill('SIGUSR2');
    await main.lineMatching((line) => /SIGUSR2 received and ignored/.test(line.msg));
    const live = await fetch(`http://127.0.0.1:${PORT}/health/live`);
    expect(live.status).toBe(200);
    expect(main.alive).toBe(true);

    main.kill('SIGTERM');
    const exit = await main.exited;
    // Nest closes the app, then re-raises the signal for the default exit.
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
  }, 120_000);

  it('stops on a bad variable with one line naming it, no stack trace', async () => {
    main = new MainProcess(outDir, { PORT: String(PORT), LOG_LEVEL: 'loud' });
    const exit = await main.exited;
    expect(exit.code).toBe(1);
    expect(main.stderr.trim().split('\n')).toEqual([
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ]);
  }, 60_000);
});
