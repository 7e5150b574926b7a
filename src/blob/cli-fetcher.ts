/** What a command or server needs to give `runKql` the storage-aware `externaldata` fetcher. */
export { externalFetcherFor } from './storage-fetcher.js';
export { storageSettings } from './settings.js';
