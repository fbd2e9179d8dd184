// First: on an unsupported Node, one line and exit, before a native module can segfault.
import './runtime/check-node';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { AppModule } from './app.module';
import { ConfigError, loadConfig, type AppConfig } from './config/app-config';
import { checkDependencies } from './dependencies';
import { QuietFrameworkLogger } from './logging';
import { ignoreStraySignals, SHUTDOWN_SIGNALS } from './runtime/shutdown-signals';

function configOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** Warnings about generated secrets; logged once the app's (pino) logger is in place. */
function warnAboutGeneratedSecrets(config: AppConfig, logger: Logger): void {
  if (config.jwtSecretGenerated)
    logger.warn('JWT_SECRET is not set: using a random one (tokens die on restart)');
  if (config.auditHmacKeyGenerated)
    logger.warn(
      'AUDIT_HMAC_KEY is not set: using a random one (set it to verify the log across restarts)',
    );
}

async function main(): Promise<void> {
  const config = configOrExit();
  const problems = await checkDependencies(config);
  if (problems.length) {
    for (const problem of problems) console.error(problem);
    process.exit(1);
  }
  const logger = new Logger('Bootstrap');
  // The start-up summary: one info line with what an operator needs to know.
  const summary = {
    role: config.appRole,
    node: process.version,
    env: config.nodeEnv,
    log_level: config.logLevel,
    mail: config.smtpUrl ? 'smtp' : `files in ${config.mailDir}`,
  };

  if (config.runsHttp) {
    const app = await createApp(config);
    ignoreStraySignals(logger);
    warnAboutGeneratedSecrets(config, logger);
    await app.listen({ port: config.port, host: '0.0.0.0' });
    const url = `http://localhost:${config.port}`;
    logger.log(
      { ...summary, url, docs: `${url}/docs` },
      `Helpdesk API (${config.appRole}) listening on ${url} — docs at ${url}/docs`,
    );
  } else {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
      bufferLogs: true,
    });
    // Without this the buffered logs are never flushed: a worker would log nothing at all
    // (not even failed deliveries) and keep every line in memory.
    app.useLogger(new QuietFrameworkLogger(app.get(PinoLogger)));
    app.enableShutdownHooks(SHUTDOWN_SIGNALS);
    ignoreStraySignals(logger);
    warnAboutGeneratedSecrets(config, logger);
    logger.log(summary, 'Helpdesk worker started (queues and scheduler)');
  }
}

void main();
