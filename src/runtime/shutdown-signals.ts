import type { LoggerService } from '@nestjs/common';

/** The only signals that stop the process (gracefully: Nest's shutdown hooks run). */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'];

/**
 * Signals that profilers and process managers send for other reasons, and whose default action
 * would kill the process: logged and otherwise ignored. (Nest's default shutdown hooks used to
 * treat SIGUSR2 like SIGTERM.)
 */
export const IGNORED_SIGNALS = ['SIGUSR2'] as const;

export function ignoreStraySignals(logger: Pick<LoggerService, 'log'>): void {
  for (const signal of IGNORED_SIGNALS) {
    process.on(signal, () => {
      logger.log(`${signal} received and ignored: SIGTERM or SIGINT stop the process`, 'Signals');
    });
  }
}
