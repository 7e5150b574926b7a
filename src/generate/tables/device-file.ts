/**
 * DeviceFileEvents: documents saved and edited, temp files, downloads with their Mark of the Web
 * (`FileOriginUrl`, `FileOriginReferrerUrl`, `FileOriginIP`). Planted rows: downloads from planted hosts
 * or the planted URL, downloads referred by a planted host, and the planted payload files by hash.
 */
import { createHash } from 'node:crypto';
import type { Site } from '../population.js';
import { documentNames } from '../vocab.js';
import {
  hostVariants, initiatingBlock, kindVariants, pickActor, plantedPath, programIndex, type TableGenerator,
} from '../table-gen.js';
import { urlHost } from '../plant.js';
import { hostIp } from './device-network.js';

const actions = ['FileCreated', 'FileModified', 'FileRenamed', 'FileDeleted'] as const;
const actionWeights = [45, 35, 10, 10];
const downloads = ['installer.exe', 'setup.msi', 'report.pdf', 'dataset.zip', 'image.png', 'release-notes.pdf'] as const;

/** Hashes of a synthetic file named by `text`, consistent across its three digests. */
function fileHashes(text: string): { sha1: string; sha256: string; md5: string } {
  return {
    sha1: createHash('sha1').update(text).digest('hex'),
    sha256: createHash('sha256').update(text).digest('hex'),
    md5: createHash('md5').update(text).digest('hex'),
  };
}

export const deviceFileEvents: TableGenerator = {
  table: 'DeviceFileEvents',
  keyColumns: ['ReportId'],
  plantColumns: { FileOriginUrl: 'url', FileOriginReferrerUrl: 'url', SHA1: 'hash', SHA256: 'hash', InitiatingProcessCommandLine: 'text' },

  variants(plant) {
    return [
      ...hostVariants(plant, ['origin', 'referrer']),
      ...kindVariants(plant, ['url'], 'origin-url'),
      ...kindVariants(plant, ['sha256', 'sha1'], 'file'),
    ];
  },

  row(ctx, i, ts, v) {
    const { rng, pop } = ctx;
    const a = pickActor(ctx);
    let action: string = rng.weighted(actions, actionWeights);
    let name: string;
    let folder: string;
    let origin = '';
    let referrer = '';
    let originIp = '';
    let prog: number;
    let hashes: { sha1: string; sha256: string; md5: string };
    let size = rng.int(2_000, 8_000_000);

    if (v) {
      action = 'FileCreated';
      folder = `C:\\Users\\${a.user.name}\\Downloads`;
      prog = programIndex(pop, 'msedge.exe');
      if (v.form === 'file') {
        name = v.indicator.fileName ?? 'payload.bin';
        if (name.endsWith('.dll')) folder = `C:\\Users\\${a.user.name}\\AppData\\Roaming\\Microsoft`;
        hashes = fileHashes(`planted/${v.indicator.id}`);
        if (v.indicator.kind === 'sha256') hashes.sha256 = v.value.toLowerCase();
        else hashes.sha1 = v.value.toLowerCase();
        prog = programIndex(pop, name.endsWith('.dll') ? 'explorer.exe' : 'msedge.exe');
        size = 1_474_560;
      } else {
        name = `Invoice_${2200 + (i % 90)}.pdf.html`;
        hashes = fileHashes(`planted-file/${i}`);
        const plantedUrl = v.form === 'origin-url' ? v.value : `https://${v.value}${plantedPath(v.indicator, i)}`;
        if (v.form === 'referrer') {
          origin = `https://s3.amazonaws.com/assets/${name}`;
          referrer = plantedUrl;
          originIp = hostIp(ctx.seed, 's3.amazonaws.com');
        } else {
          origin = plantedUrl;
          referrer = 'https://outlook.office365.com/';
          originIp = hostIp(ctx.seed, urlHost(plantedUrl));
        }
      }
    } else if (action === 'FileCreated' && rng.chance(0.18)) {
      const site = pop.sites[rng.skewed(pop.sites.length, 1.5)] as Site;
      name = rng.pick(downloads);
      folder = `C:\\Users\\${a.user.name}\\Downloads`;
      origin = `https://${site.host}/${name}`;
      referrer = rng.chance(0.6) ? 'https://www.google.com/' : '';
      originIp = site.ip;
      hashes = fileHashes(`download/${site.host}/${name}/${rng.int(0, 40)}`);
      prog = programIndex(pop, rng.chance(0.7) ? 'msedge.exe' : 'chrome.exe');
    } else if (rng.chance(0.5)) {
      name = rng.pick(documentNames);
      folder = `C:\\Users\\${a.user.name}\\Documents`;
      hashes = fileHashes(`doc/${a.user.name}/${name}/${rng.int(0, 1_000_000)}`);
      prog = programIndex(pop, name.endsWith('.xlsx') ? 'EXCEL.EXE' : name.endsWith('.docx') ? 'WINWORD.EXE' : 'explorer.exe');
    } else {
      name = `~tmp${rng.hex(4).toUpperCase()}.tmp`;
      folder = `C:\\Users\\${a.user.name}\\AppData\\Local\\Temp`;
      hashes = fileHashes(`tmp/${rng.int(0, 10_000_000)}`);
      prog = programIndex(pop, rng.pick(['OUTLOOK.EXE', 'Teams.exe', 'SearchProtocolHost.exe', 'OneDrive.exe']));
      size = rng.int(0, 300_000);
    }

    const p = pop.programs[prog]!;
    const cmd = p.commands[0]!.replace('{user}', a.user.name).replace('{url}', origin || 'https://www.office.com/').replace('{file}', name).replace('{n}', '1');
    const init = initiatingBlock(ctx, a, prog, ts, cmd, 'explorer.exe');
    const renamed = action === 'FileRenamed';
    return {
      Timestamp: new Date(ts),
      DeviceId: a.dev.id,
      DeviceName: a.dev.name,
      ActionType: action,
      FileName: name,
      FolderPath: `${folder}\\${name}`,
      SHA1: hashes.sha1,
      SHA256: hashes.sha256,
      MD5: hashes.md5,
      FileOriginUrl: origin,
      FileOriginReferrerUrl: referrer,
      FileOriginIP: originIp,
      PreviousFolderPath: renamed ? folder : '',
      PreviousFileName: renamed ? `New ${name}` : '',
      FileSize: size,
      ...init,
      RequestProtocol: 'Local',
      RequestSourceIP: '',
      RequestSourcePort: null,
      RequestAccountName: a.user.name,
      RequestAccountDomain: pop.netbios.toLowerCase(),
      RequestAccountSid: a.user.sid,
      ShareName: '',
      SensitivityLabel: '',
      SensitivitySubLabel: '',
      IsAzureInfoProtectionApplied: false,
      ReportId: 30_000 + i,
      AppGuardContainerId: '',
      AdditionalFields: origin ? JSON.stringify({ FileType: name.split('.').pop() ?? '' }) : '',
      InitiatingProcessSessionId: 1,
      IsInitiatingProcessRemoteSession: false,
      InitiatingProcessRemoteSessionDeviceName: '',
      InitiatingProcessRemoteSessionIP: '',
    };
  },
};
