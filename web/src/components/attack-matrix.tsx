/**
 * TTPs as an ATT&CK (Enterprise) matrix: one column per tactic, the profile's techniques in it.
 * The technique → tactic table below is reference data for common techniques (first tactic of each);
 * techniques it does not know go to "Other" rather than being guessed.
 */
const TACTICS = [
  'Reconnaissance', 'Resource Development', 'Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion',
  'Credential Access', 'Discovery', 'Lateral Movement', 'Collection', 'Command and Control', 'Exfiltration', 'Impact',
];

const T: Record<string, string> = {
  T1595: 'Reconnaissance', T1592: 'Reconnaissance', T1589: 'Reconnaissance', T1590: 'Reconnaissance', T1591: 'Reconnaissance', T1598: 'Reconnaissance', T1593: 'Reconnaissance', T1594: 'Reconnaissance',
  T1583: 'Resource Development', T1584: 'Resource Development', T1585: 'Resource Development', T1586: 'Resource Development', T1587: 'Resource Development', T1588: 'Resource Development', T1608: 'Resource Development',
  T1566: 'Initial Access', T1190: 'Initial Access', T1133: 'Initial Access', T1078: 'Initial Access', T1189: 'Initial Access', T1195: 'Initial Access', T1199: 'Initial Access', T1091: 'Initial Access',
  T1059: 'Execution', T1204: 'Execution', T1203: 'Execution', T1047: 'Execution', T1053: 'Execution', T1106: 'Execution', T1569: 'Execution', T1129: 'Execution',
  T1547: 'Persistence', T1543: 'Persistence', T1136: 'Persistence', T1098: 'Persistence', T1505: 'Persistence', T1546: 'Persistence', T1137: 'Persistence', T1574: 'Persistence',
  T1068: 'Privilege Escalation', T1548: 'Privilege Escalation', T1134: 'Privilege Escalation', T1055: 'Privilege Escalation',
  T1027: 'Defense Evasion', T1070: 'Defense Evasion', T1553: 'Defense Evasion', T1562: 'Defense Evasion', T1036: 'Defense Evasion', T1218: 'Defense Evasion', T1140: 'Defense Evasion', T1112: 'Defense Evasion', T1497: 'Defense Evasion', T1620: 'Defense Evasion',
  T1003: 'Credential Access', T1110: 'Credential Access', T1555: 'Credential Access', T1056: 'Credential Access', T1557: 'Credential Access', T1558: 'Credential Access', T1539: 'Credential Access', T1552: 'Credential Access', T1606: 'Credential Access', T1621: 'Credential Access',
  T1082: 'Discovery', T1083: 'Discovery', T1087: 'Discovery', T1018: 'Discovery', T1016: 'Discovery', T1049: 'Discovery', T1057: 'Discovery', T1069: 'Discovery', T1482: 'Discovery', T1518: 'Discovery',
  T1021: 'Lateral Movement', T1570: 'Lateral Movement', T1534: 'Lateral Movement', T1550: 'Lateral Movement', T1210: 'Lateral Movement',
  T1005: 'Collection', T1114: 'Collection', T1113: 'Collection', T1560: 'Collection', T1119: 'Collection', T1213: 'Collection', T1074: 'Collection',
  T1071: 'Command and Control', T1105: 'Command and Control', T1090: 'Command and Control', T1572: 'Command and Control', T1573: 'Command and Control', T1568: 'Command and Control', T1102: 'Command and Control', T1219: 'Command and Control', T1095: 'Command and Control', T1132: 'Command and Control',
  T1041: 'Exfiltration', T1567: 'Exfiltration', T1048: 'Exfiltration', T1020: 'Exfiltration', T1537: 'Exfiltration',
  T1486: 'Impact', T1490: 'Impact', T1489: 'Impact', T1485: 'Impact', T1491: 'Impact', T1496: 'Impact', T1498: 'Impact', T1499: 'Impact', T1657: 'Impact',
};

export interface Ttp {
  readonly id: string;
  readonly name?: string;
  readonly tactic?: string;
}

export function AttackMatrix({ ttps }: { ttps: readonly Ttp[] }) {
  if (!ttps.length) return <div className="muted">No TTPs recorded.</div>;
  const by = new Map<string, Ttp[]>();
  for (const t of ttps) {
    const tactic = t.tactic ?? T[t.id.split('.')[0]!] ?? 'Other';
    by.set(tactic, [...(by.get(tactic) ?? []), t]);
  }
  const columns = [...TACTICS, 'Other'].filter((t) => by.has(t));
  return (
    <div className="matrix" data-testid="attack-matrix" aria-label="MITRE ATT&CK techniques by tactic">
      {columns.map((tactic) => (
        <div className="tactic" key={tactic}>
          <h4>{tactic}</h4>
          {by.get(tactic)!.map((t) => (
            <div className="technique" key={t.id} title={t.name}>
              <strong>{t.id}</strong> {t.name}
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
