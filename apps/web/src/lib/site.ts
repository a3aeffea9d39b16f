import type { Metadata, Viewport } from 'next';

// What the landing page and every page's <head> say about Traceroot.
export const SITE = {
  name: 'Traceroot',
  tagline: 'Supply-chain traceability you can check yourself',
  description:
    'Scan a product’s QR code to see where it came from, with proof from a public, tamper-evident log.',
  summary:
    'Traceroot records each step of a product’s journey, from harvest or manufacture through ' +
    'processing and shipping to the shelf, as an entry in a public, append-only log. Every entry ' +
    'is bound into a Merkle tree whose signed checkpoints anyone can audit, so a record cannot be ' +
    'altered or quietly removed without the change showing. Scan the QR code on a product and ' +
    'your own browser checks the proofs: you do not have to take the seller’s word for it.',
} as const;

export const siteMetadata: Metadata = {
  title: { default: `${SITE.name}: ${SITE.tagline}`, template: `%s · ${SITE.name}` },
  description: SITE.description,
  applicationName: SITE.name,
};

// Mobile first: the consumer pages are opened from a phone camera.
export const siteViewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
};
