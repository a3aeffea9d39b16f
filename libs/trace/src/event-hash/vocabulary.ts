// CBV 2.0 standard vocabularies as EPCIS 2.0 JSON/JSON-LD writes them: bare short names
// ("shipping", "in_transit", "po", "Temperature") that the EPCIS 2.0.0 JSON-LD context
// (https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld) maps to full URIs through
// field-scoped term definitions. The event hash ID (CBV 2.0 event hash ID, rule 16) hashes the full URI,
// so the term lists below are exactly those of that context (gs1/EPCIS at 2b888befbc07).

/** The CBV vocabularies whose bare short names JSON-LD expands, named by the field that uses them. */
export type CbvVocabulary =
  | 'bizStep'
  | 'disposition'
  | 'bizTransactionType'
  | 'sourceDestType'
  | 'errorReason'
  | 'measurementType'
  | 'sensorAlertType'
  | 'component';

const CBV = 'https://ref.gs1.org/cbv/';
// The 2.0.0 context binds the `gs1` prefix to https://gs1.org/voc/ (not https://ref.gs1.org/voc/);
// the reference implementation's vectors hash exactly that.
const GS1_VOC = 'https://gs1.org/voc/';

const DISPOSITIONS =
  'active available completeness_verified completeness_inferred conformant container_closed ' +
  'container_open damaged destroyed dispensed disposed encoded expired in_progress in_transit ' +
  'inactive mismatch_instance mismatch_class mismatch_quantity needs_replacement ' +
  'no_pedigree_match non_conformant non_sellable_other partially_dispensed recalled reserved ' +
  'retail_sold returned sellable_accessible sellable_not_accessible stolen unavailable unknown';

type Vocabulary = { readonly base: string; readonly terms: ReadonlySet<string> };

// Each vocabulary's terms in one Set, built once: a look-up is a hash probe, not a scan.
const vocabulary = (base: string, terms: string): Vocabulary => ({
  base,
  terms: new Set(terms.split(' ')),
});

const VOCABULARIES: Readonly<Record<CbvVocabulary, Vocabulary>> = {
  bizStep: vocabulary(
    `${CBV}BizStep-`,
    'accepting arriving assembling collecting commissioning consigning creating_class_instance ' +
      'cycle_counting decommissioning departing destroying disassembling dispensing encoding ' +
      'entering_exiting holding inspecting installing killing loading other packing picking ' +
      'receiving removing repackaging repairing replacing reserving retail_selling sampling ' +
      'sensor_reporting shipping staging_outbound stock_taking stocking storing transporting ' +
      'unloading unpacking void_shipping',
  ),
  disposition: vocabulary(`${CBV}Disp-`, DISPOSITIONS),
  bizTransactionType: vocabulary(
    `${CBV}BTT-`,
    'bol cert desadv inv pedigree po poc prodorder recadv rma testprd testres upevt',
  ),
  sourceDestType: vocabulary(`${CBV}SDT-`, 'owning_party possessing_party location'),
  errorReason: vocabulary(`${CBV}ER-`, 'did_not_occur incorrect_data'),
  measurementType: vocabulary(
    GS1_VOC,
    'AbsoluteHumidity AbsorbedDose AbsorbedDoseRate Acceleration Radioactivity Altitude ' +
      'AmountOfSubstance AmountOfSubstancePerUnitVolume Angle AngularAcceleration AngularMomentum ' +
      'AngularVelocity Area Capacitance Conductance Conductivity Count Density Dimensionless ' +
      'DoseEquivalent DoseEquivalentRate DynamicViscosity ElectricCharge ElectricCurrent ' +
      'ElectricCurrentDensity ElectricFieldStrength Energy Exposure Force Frequency Illuminance ' +
      'Inductance Irradiance KinematicViscosity Length LinearMomentum Luminance LuminousFlux ' +
      'LuminousIntensity MagneticFlux MagneticFluxDensity MagneticVectorPotential Mass ' +
      'MassConcentration MassFlowRate MassPerAreaTime MemoryCapacity MolalityOfSolute MolarEnergy ' +
      'MolarMass MolarVolume Power Pressure RadiantFlux RadiantIntensity RelativeHumidity ' +
      'Resistance Resistivity SolidAngle SpecificVolume Speed SurfaceDensity SurfaceTension ' +
      'Temperature Time Torque Voltage Volume VolumeFlowRate VolumeFraction VolumetricFlux Wavenumber',
  ),
  sensorAlertType: vocabulary(GS1_VOC, 'ALARM_CONDITION ERROR_CONDITION'),
  component: vocabulary(
    `${CBV}Comp-`,
    'x y z axial_distance azimuth height spherical_radius polar_angle elevation_angle easting ' +
      'northing latitude longitude altitude',
  ),
};

/** True when `value` is a bare short name of the CBV vocabulary `kind` ("shipping" for bizStep). */
export const isCbvShortName = (kind: CbvVocabulary, value: string): boolean =>
  VOCABULARIES[kind].terms.has(value);

/**
 * Expands a bare CBV short name to its full web URI, as JSON-LD expansion with the EPCIS 2.0.0
 * context does (CBV 2.0 event hash ID rule 16): `expandCbvShortName('bizStep', 'shipping')` is
 * `https://ref.gs1.org/cbv/BizStep-shipping`, `('measurementType', 'Temperature')` is
 * `https://gs1.org/voc/Temperature`. Any other value (a URI, a CURIE, a private term) is
 * returned unchanged: only defined terms of that field's vocabulary expand. Case-sensitive.
 */
export const expandCbvShortName = (kind: CbvVocabulary, value: string): string =>
  VOCABULARIES[kind].terms.has(value) ? VOCABULARIES[kind].base + value : value;

// CBV 2.0 event hash ID rule 14: EPCIS 1.x URN vocabulary values hash as their CBV 2.0 web URIs.
const URN_VOCABULARIES: readonly (readonly [string, string])[] = [
  ['urn:epcglobal:cbv:bizstep:', `${CBV}BizStep-`],
  ['urn:epcglobal:cbv:disp:', `${CBV}Disp-`],
  ['urn:epcglobal:cbv:btt:', `${CBV}BTT-`],
  ['urn:epcglobal:cbv:sdt:', `${CBV}SDT-`],
  ['urn:epcglobal:cbv:er:', `${CBV}ER-`],
];

/**
 * Rewrites a URN-based CBV vocabulary value (`urn:epcglobal:cbv:bizstep:receiving`) to its web
 * URI (`https://ref.gs1.org/cbv/BizStep-receiving`), CBV 2.0 event hash ID rule 14. Only the five
 * vocabularies that have web URIs are rewritten; business transaction IDs
 * (`urn:epcglobal:cbv:bt:`) and master-data attribute names (`urn:epcglobal:cbv:mda:`) are
 * identifiers, not vocabulary, and stay as they are.
 */
export const formatCbvWebUri = (value: string): string => {
  if (!value.startsWith('urn:epcglobal:cbv:')) return value;
  for (const [urn, web] of URN_VOCABULARIES) {
    if (value.startsWith(urn)) return web + value.slice(urn.length);
  }
  return value;
};
