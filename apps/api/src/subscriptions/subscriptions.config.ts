import type { Env } from '../config/env.js';

/** Injection token of the subscriptions' settings. */
export const SUBSCRIPTIONS_CONFIG = Symbol('SUBSCRIPTIONS_CONFIG');

/** The delivery settings (SUBSCRIPTION_* in the environment; docs/specs/subscriptions.md). */
export type SubscriptionsConfig = {
  pollMs: number;
  batchSize: number;
  timeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  allowPrivateDest: boolean;
};

export const subscriptionsConfig = (env: Env): SubscriptionsConfig => ({
  pollMs: env.SUBSCRIPTION_POLL_MS,
  batchSize: env.SUBSCRIPTION_BATCH_SIZE,
  timeoutMs: env.SUBSCRIPTION_TIMEOUT_MS,
  retryBaseMs: env.SUBSCRIPTION_RETRY_BASE_MS,
  retryMaxMs: env.SUBSCRIPTION_RETRY_MAX_MS,
  allowPrivateDest: env.SUBSCRIPTION_ALLOW_PRIVATE_DEST,
});
