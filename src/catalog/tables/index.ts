/** Every built-in table definition, in the order `listTables()` reports them. */
import type { TableDef } from '../types.js';
import { defenderAlertTables } from './defender-alerts.js';
import { defenderCloudTables } from './defender-cloud.js';
import { defenderDeviceEventTables } from './defender-device-events.js';
import { defenderDeviceInfoTables } from './defender-device-info.js';
import { defenderEmailTables } from './defender-email.js';
import { defenderIdentityTables } from './defender-identity.js';
import { defenderTvmTables } from './defender-tvm.js';
import { sentinelAlertTables } from './sentinel-alerts.js';
import { sentinelAzureTables } from './sentinel-azure.js';
import { sentinelNetworkTables } from './sentinel-network.js';
import { SecurityEvent } from './sentinel-security-event.js';
import { sentinelTiTables } from './sentinel-ti.js';
import { explorerTables } from './quarry-explorer.js';
import { quarryIngestTables } from './quarry-ingest.js';

export const builtinTables: readonly TableDef[] = [
  ...defenderEmailTables,
  ...defenderDeviceEventTables,
  ...defenderDeviceInfoTables,
  ...defenderIdentityTables,
  ...defenderCloudTables,
  ...defenderAlertTables,
  ...defenderTvmTables,
  ...sentinelTiTables,
  ...sentinelAlertTables,
  ...sentinelNetworkTables,
  SecurityEvent,
  ...sentinelAzureTables,
  ...explorerTables,
  ...quarryIngestTables,
];
