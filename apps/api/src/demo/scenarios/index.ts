// The demo data set: scenarios 1 and 2 of SCENARIOS.md, as the organizations, master data and
// EPCIS capture documents a loader sends (load-demo.ts). Pure and deterministic: the same base
// time gives the same documents (their times are days before it; their eventIDs hash them).
import { demoClock } from './clock.js';
import {
  captureDocuments,
  type DemoCapture,
  type DemoOrganization,
  type MasterData,
} from './model.js';
import { FEATURED_TEA_CAKE, puErTeaScenario } from './pu-er-tea.js';
import { FEATURED_RECALLED_LOT, strawberriesScenario } from './strawberries.js';

export type {
  DemoCapture,
  DemoOrganization,
  EpcisEvent,
  LocationData,
  LotData,
  MasterData,
  PartyData,
  ProductData,
} from './model.js';

export type DemoData = {
  readonly organizations: readonly DemoOrganization[];
  readonly masterData: MasterData;
  /** In the order to capture them: each scenario's events in the order they happened. */
  readonly captures: readonly DemoCapture[];
  /** When master data versions start (backdated before every event, so each event has its version). */
  readonly masterDataValidFrom: string;
};

const MASTER_DATA_LEAD_DAYS = 365;

/** The demo for `baseTime` (default now): events happen in the days and weeks before it. */
export const buildDemo = (baseTime: Date = new Date()): DemoData => {
  const clock = demoClock(baseTime);
  const scenarios = [puErTeaScenario(clock), strawberriesScenario(clock)];
  return {
    organizations: scenarios.flatMap((s) => s.organizations),
    masterData: {
      parties: scenarios.flatMap((s) => s.masterData.parties),
      locations: scenarios.flatMap((s) => s.masterData.locations),
      products: scenarios.flatMap((s) => s.masterData.products),
      lots: scenarios.flatMap((s) => s.masterData.lots),
    },
    captures: scenarios.flatMap((s) => captureDocuments(s.events)),
    masterDataValidFrom: new Date(clock.anchor - MASTER_DATA_LEAD_DAYS * 86_400_000).toISOString(),
  };
};

/**
 * The identifiers a person is shown first; the same whatever the base time. Paths are GS1
 * Digital Link paths for the web app's base (PUBLIC_BASE_URL).
 */
export const DEMO_FEATURED = {
  /** Scenario 1: one serialised Pu'er cake, sold in Shanghai: `/01/{gtin}/10/{lot}/21/{serial}`. */
  teaCake: FEATURED_TEA_CAKE,
  /** Scenario 2: a recalled strawberry clamshell lot (its pallet had the excursion): `/01/{gtin}/10/{lot}`. */
  recalledStrawberryLot: FEATURED_RECALLED_LOT,
} as const;

/** The demo's page and QR code URLs on the web app's public base (no trailing slash). */
export const demoUrls = (publicBaseUrl: string) => {
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    teaCakePage: `${base}${DEMO_FEATURED.teaCake.path}`,
    teaCakeQrCode: `${base}/qr${DEMO_FEATURED.teaCake.path}.png`,
    recalledStrawberryLotPage: `${base}${DEMO_FEATURED.recalledStrawberryLot.path}`,
  };
};
