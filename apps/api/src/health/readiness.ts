import { Injectable } from '@nestjs/common';

import { DomainError } from '../common/errors/domain-error.js';

/**
 * Something the service needs before it can take traffic, e.g. "database answers". `check`
 * resolves when ready and throws or rejects when not; it must not take longer than `timeoutMs`
 * (default 2 s) or it counts as failed.
 */
export type ReadinessCheck = {
  readonly name: string;
  readonly check: () => unknown;
  readonly timeoutMs?: number;
};

export type CheckResult = { name: string; ok: boolean; durationMs: number; error?: unknown };

export type Readiness = {
  status: 'ready';
  checks: { name: string; status: 'up'; durationMs: number }[];
};

export const DEFAULT_READINESS_TIMEOUT_MS = 2000;

class ReadinessTimeoutError extends Error {
  override readonly name = 'ReadinessTimeoutError';
}

const runCheck = async (
  { name, check, timeoutMs = DEFAULT_READINESS_TIMEOUT_MS }: ReadinessCheck,
  now: () => number,
): Promise<CheckResult> => {
  const startedAt = now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ReadinessTimeoutError(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { name, ok: true, durationMs: now() - startedAt };
  } catch (error) {
    return { name, ok: false, durationMs: now() - startedAt, error };
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The list of readiness checks. Modules register theirs when they start, e.g. the database module:
 *
 *     constructor(readiness: ReadinessRegistry, prisma: PrismaService) {
 *       readiness.register({ name: 'database', check: () => prisma.$queryRaw`SELECT 1` });
 *     }
 *
 * HealthModule is global, so the registry is injectable everywhere without importing it.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(check: ReadinessCheck): void {
    if (this.checks.has(check.name)) {
      throw new Error(`A readiness check named "${check.name}" is already registered`);
    }
    this.checks.set(check.name, check);
  }

  /** Runs every check at once; never throws. */
  async evaluate(now: () => number = () => performance.now()): Promise<CheckResult[]> {
    return Promise.all([...this.checks.values()].map((check) => runCheck(check, now)));
  }
}

/** Throws NOT_READY naming the failed checks (never their errors, which may hold internals). */
export const assertReady = (results: readonly CheckResult[]): Readiness => {
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) {
    const names = failed
      .map(({ name, error }) =>
        error instanceof ReadinessTimeoutError ? `${name} (timed out)` : name,
      )
      .join(', ');
    throw new DomainError('NOT_READY', `Failed readiness checks: ${names}`);
  }
  return {
    status: 'ready',
    checks: results.map(({ name, durationMs }) => ({
      name,
      status: 'up',
      durationMs: Math.round(durationMs * 1000) / 1000,
    })),
  };
};
