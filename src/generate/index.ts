/** Public surface of the deterministic event generator. */
export { generateRows, generateInto, plantedTruth, type GenerateProgress, type GenerateResult } from './engine.js';
export {
  resolveOptions, eventTableRatios, eventTableNames, generatedTableNames, indicatorTableNames, defaultEnd,
  type GenerateOptions, type ResolvedOptions, type GeneratedTableName, type EventTableName,
} from './options.js';
export {
  defaultPlantConfig, defaultIndicators, type PlantConfig, type PlantedIndicator, type PlantedTruth, type TruthRef,
  type IndicatorKind, type IndicatorStatus,
} from './plant.js';
export { legacyIndicatorId, stixIndicatorId } from './tables/indicators.js';
export type { Row } from './table-gen.js';
