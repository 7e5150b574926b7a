/** Where the Defender XDR advanced-hunting schema reference of a table is published. */
export function defenderDoc(table: string): string {
  return `https://learn.microsoft.com/defender-xdr/advanced-hunting-${table.toLowerCase()}-table`;
}

/** Where the Azure Monitor (Log Analytics / Sentinel) table reference of a table is published. */
export function azureMonitorDoc(table: string): string {
  return `https://learn.microsoft.com/azure/azure-monitor/reference/tables/${table.toLowerCase()}`;
}
