/**
 * ASIM parser functions, declared to the binder as database functions with KQL bodies, so that
 * Sentinel content written against ASIM (e.g. the "TI map IP entity to Network Session Events" rule,
 * which reads `_Im_NetworkSession(starttime=…)`) runs unchanged. Each body normalises Quarry's
 * event tables to the ASIM NetworkSession schema subset those rules use.
 */
import type { SchemaView } from '../catalog/types.js';
import type { SchemaFunction } from './kusto-adapter.js';

export function asimFunctions(view: SchemaView): SchemaFunction[] {
  // In the Defender view DeviceNetworkEvents has no TimeGenerated: use Timestamp.
  const dneTime = view === 'sentinel' ? 'TimeGenerated' : 'Timestamp';
  const params = '(starttime:datetime=datetime(null), endtime:datetime=datetime(null), srcipaddr_has_any_prefix:dynamic=dynamic([]), dstipaddr_has_any_prefix:dynamic=dynamic([]), ipaddr_has_any_prefix:dynamic=dynamic([]), dstportnumber:int=int(null), hostname_has_any:dynamic=dynamic([]), dvcaction:dynamic=dynamic([]), eventresult:string="*", disabled:bool=false, pack:bool=false)';
  const window = (t: string) => `where (isnull(starttime) or ${t} >= starttime) and (isnull(endtime) or ${t} <= endtime)`;
  const body = `{
  union
  (DeviceNetworkEvents
    | ${window(dneTime)}
    | project TimeGenerated = ${dneTime}, SrcIpAddr = LocalIP, SrcPortNumber = LocalPort, DstIpAddr = RemoteIP, DstPortNumber = RemotePort,
              DstFQDN = RemoteUrl, NetworkProtocol = Protocol, Dvc = DeviceName, DvcId = DeviceId, DvcAction = ActionType,
              EventResult = iff(ActionType has "Failed", "Failure", "Success"),
              EventProduct = "M365 Defender for Endpoint", EventVendor = "Microsoft", EventType = "EndpointNetworkSession"),
  (CommonSecurityLog
    | ${window('TimeGenerated')}
    | project TimeGenerated, SrcIpAddr = SourceIP, SrcPortNumber = SourcePort, DstIpAddr = DestinationIP, DstPortNumber = DestinationPort,
              DstFQDN = DestinationHostName, NetworkProtocol = Protocol, Dvc = coalesce(DeviceName, Computer), DvcId = DeviceExternalID,
              DvcAction = DeviceAction, EventResult = iff(isempty(EventOutcome), "Success", EventOutcome),
              EventProduct = DeviceProduct, EventVendor = DeviceVendor, EventType = "NetworkSession")
  | where disabled == false
}`;
  return [{ name: '_Im_NetworkSession', parameters: params, body }, { name: 'imNetworkSession', parameters: params, body }];
}
