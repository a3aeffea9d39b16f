// Types of trace-chain.mjs (the generated multi-tier supply chain), for the TypeScript tests.

/** A model record of one generated event: what it names, where, and which parties. */
export type ModelEvent = {
  eventID: string;
  /** eventTime in ms since the epoch. */
  time: number;
  /** EPC URIs it names in any role, and the lot its ILMD gives the items it names. */
  names: string[];
  locations: string[];
  parties: string[];
};

/** `to` was made from `from` at `time` (a transformation, or a lot → an item commissioned into it). */
export type Derivation = { from: string; to: string; time: number; eventID: string };

/** `child` was in `parent` from packedAt until unpackedAt (Infinity: never unpacked). */
export type Containment = {
  parent: string;
  child: string;
  packedAt: number;
  unpackedAt: number;
  /** Whether the unpacking event names the child (else it names no child: everything). */
  unpackNamesChild: boolean;
};

export type SupplyChainModel = {
  events: ModelEvent[];
  derivations: Derivation[];
  containments: Containment[];
};

export type Party = { cp: string; name: string; pgln: string; site: string; cooler: string };

export type SupplyChain = {
  /** EPCIS 2.0 events, oldest first. */
  events: (Record<string, unknown> & { eventID: string; type: string; eventTime: string })[];
  model: SupplyChainModel;
  parties: Record<'farms' | 'packers' | 'processors' | 'distributors' | 'retailers', Party[]>;
};

export declare const generateSupplyChain: (options?: {
  seed?: number;
  scale?: number;
}) => SupplyChain;

export declare const kindOf: (
  id: string,
) => 'farm-lot' | 'packer-lot' | 'processor-lot' | 'lot' | 'pallet' | 'item' | 'other';
