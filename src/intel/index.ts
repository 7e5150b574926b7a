/**
 * The intel service surface used by the API (`/api/intel/...`, `/taxii2/`, and the Graph-compatible
 * `/v1.0/security/threatIntelligence/articles|intelProfiles` routes), the CLI and the demo loader.
 */
export { listArticles, getArticle, articleIndicators, articleIndicatorsCsv, createArticle, type Article, type ArticleIndicator } from './articles.js';
export { listProfiles, getProfile, profileIndicators, type IntelProfile, type ProfileIndicator, type ProfileKind } from './profiles.js';
export { getObject, getVersions, listObjects, findObservable, type Page, type ListFilter } from './object-read.js';
export { writeObjects, reviseObject, revokeObject, type WriteCounts } from './object-store.js';
export { importIntelFile, importIntelText, type ImportReport, type ImportOptions, type IntelFormat } from './import/index.js';
export { exportBundle, type ExportScope, type Bundle } from './export/stix.js';
export { indicatorCsv } from './export/csv.js';
export { addTags, removeTag, tagsOf, listTags } from './tags.js';
export * from './projects.js';
export { loadDemoIntel, DEMO_INTEL_MARKER } from './demo.js';
export { pollCollection, startTaxiiPolling, readCursor } from './taxii/client.js';
export { decayScore, expiryMicros } from './decay.js';
