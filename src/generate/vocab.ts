/**
 * Word lists the generator draws from: names, benign sites, programs, mail subjects. Everything here
 * is ordinary, well-known software and services, so generated telemetry looks like a real estate and
 * never references the planted indicators by accident.
 */

export const firstNames = [
  'adele', 'alex', 'allan', 'bianca', 'brian', 'carlos', 'chen', 'christie', 'debra', 'diego', 'emily', 'enrico',
  'fatima', 'grady', 'hanna', 'henrietta', 'isaiah', 'irvin', 'johanna', 'joni', 'kenji', 'lee', 'lidia', 'lynne',
  'megan', 'miriam', 'nestor', 'nora', 'omar', 'patti', 'pradeep', 'quinn', 'raul', 'sofia', 'stefan', 'tomas',
  'uma', 'victor', 'wei', 'yara', 'zoe', 'ingrid', 'mateo', 'priya', 'olga', 'kwame',
] as const;

export const lastNames = [
  'vance', 'wilber', 'adams', 'bell', 'johnson', 'garcia', 'wang', 'cline', 'berger', 'ramos', 'braun', 'rossi',
  'haddad', 'archie', 'lindqvist', 'harris', 'owens', 'dlamini', 'lauer', 'sherman', 'sato', 'gu', 'holmes',
  'robbins', 'bowen', 'caballero', 'kovacs', 'nakamura', 'farouk', 'fernandez', 'gupta', 'murphy', 'ortiz',
  'petrova', 'schmidt', 'novak', 'iyer', 'moreau', 'zhang', 'silva', 'okafor', 'jensen',
] as const;

export const departments = ['Finance', 'Sales', 'Engineering', 'HR', 'Legal', 'Marketing', 'IT', 'Operations'] as const;

/** Benign external sites: [host, typical path]. Popular ones first (selection is skewed toward the front). */
export const benignSites: readonly (readonly [string, string])[] = [
  ['login.microsoftonline.com', '/common/oauth2/v2.0/authorize'],
  ['outlook.office365.com', '/mail/inbox'],
  ['www.office.com', '/launch/word'],
  ['graph.microsoft.com', '/v1.0/me'],
  ['teams.microsoft.com', '/_#/conversations'],
  ['contoso.sharepoint.com', '/sites/finance/Shared%20Documents'],
  ['settings-win.data.microsoft.com', '/settings/v3.0/wsd/muse'],
  ['v10.events.data.microsoft.com', '/OneCollector/1.0/'],
  ['ctldl.windowsupdate.com', '/msdownload/update/v3/static/trustedr/en/authrootstl.cab'],
  ['www.google.com', '/search'],
  ['www.bing.com', '/search'],
  ['github.com', '/contoso/platform/pulls'],
  ['objects.githubusercontent.com', '/github-production-release-asset'],
  ['slack.com', '/api/rtm.connect'],
  ['zoom.us', '/j/93422145'],
  ['www.linkedin.com', '/feed/'],
  ['en.wikipedia.org', '/wiki/Special:Random'],
  ['www.youtube.com', '/watch'],
  ['s3.amazonaws.com', '/assets/bundle.js'],
  ['cdn.jsdelivr.net', '/npm/bootstrap/dist/css/bootstrap.min.css'],
  ['fonts.googleapis.com', '/css2'],
  ['ocsp.digicert.com', '/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ'],
  ['crl.microsoft.com', '/pki/crl/products/MicRooCerAut2011_2011_03_22.crl'],
  ['www.salesforce.com', '/products/'],
  ['app.box.com', '/folder/0'],
  ['docs.python.org', '/3/library/'],
  ['registry.npmjs.org', '/typescript'],
  ['www.nytimes.com', '/section/technology'],
  ['www.bbc.co.uk', '/news'],
  ['update.googleapis.com', '/service/update2/json'],
  ['dl.google.com', '/release2/chrome/installer.exe'],
  ['download.mozilla.org', '/?product=firefox-latest'],
  ['api.adobe.io', '/ims/token'],
  ['www.dropbox.com', '/home'],
  ['stackoverflow.com', '/questions'],
  ['edge.microsoft.com', '/componentupdater/api/v1/update'],
];

/** Benign mail senders outside the tenant: [address, display name]. */
export const externalSenders: readonly (readonly [string, string])[] = [
  ['no-reply@sharepointonline.com', 'SharePoint Online'],
  ['noreply@github.com', 'GitHub'],
  ['notifications@slack.com', 'Slack'],
  ['invoices@fabrikam.com', 'Fabrikam Billing'],
  ['orders@tailspintoys.com', 'Tailspin Toys'],
  ['newsletter@adatum.com', 'Adatum News'],
  ['support@litwareinc.com', 'Litware Support'],
  ['events@northwindtraders.com', 'Northwind Traders'],
  ['hr@wingtiptoys.com', 'Wingtip Toys HR'],
  ['no-reply@zoom.us', 'Zoom'],
];

export const mailSubjects = [
  'Weekly status report', 'Re: Q3 budget review', 'Invitation: Project sync', 'Your order has shipped',
  'Updated: Team offsite agenda', 'Fwd: Contract draft v3', 'Security awareness training reminder',
  'Expense report approved', 'Re: Customer escalation', 'Lunch & learn on Thursday', 'New comment on your document',
  'Pull request review requested', 'Monthly newsletter', 'Re: Vendor onboarding', 'Action required: Password expiry',
] as const;

export const attachmentNames: readonly (readonly [string, string])[] = [
  ['Q3-Report.xlsx', 'xlsx'], ['Agenda.docx', 'docx'], ['Contract_v3.pdf', 'pdf'], ['Invoice-2291.pdf', 'pdf'],
  ['Slides.pptx', 'pptx'], ['diagram.png', 'png'], ['notes.txt', 'txt'],
];

/** A Windows program: how it appears in process telemetry. */
export interface ProgramSpec {
  readonly file: string;
  readonly folder: string;
  readonly company: string;
  readonly product: string;
  readonly version: string;
  readonly description: string;
  /** Command-line templates; `{user}`, `{url}`, `{file}` and `{n}` are filled in. */
  readonly commands: readonly string[];
  /** Does this program make network connections? */
  readonly network: boolean;
  readonly integrity: 'Low' | 'Medium' | 'High' | 'System';
}

const ms = 'Microsoft Corporation';
const win = 'Microsoft® Windows® Operating System';

export const programs: readonly ProgramSpec[] = [
  { file: 'msedge.exe', folder: 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application', company: ms, product: 'Microsoft Edge', version: '124.0.2478.80', description: 'Microsoft Edge', commands: ['"msedge.exe" --single-argument {url}', '"msedge.exe" --type=renderer --lang=en-US', '"msedge.exe" --type=utility --utility-sub-type=network.mojom.NetworkService'], network: true, integrity: 'Medium' },
  { file: 'chrome.exe', folder: 'C:\\Program Files\\Google\\Chrome\\Application', company: 'Google LLC', product: 'Google Chrome', version: '124.0.6367.119', description: 'Google Chrome', commands: ['"chrome.exe" {url}', '"chrome.exe" --type=renderer --field-trial-handle={n}'], network: true, integrity: 'Medium' },
  { file: 'OUTLOOK.EXE', folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16', company: ms, product: 'Microsoft Outlook', version: '16.0.17531.20152', description: 'Microsoft Outlook', commands: ['"OUTLOOK.EXE" ', '"OUTLOOK.EXE" /recycle'], network: true, integrity: 'Medium' },
  { file: 'Teams.exe', folder: 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\Teams\\current', company: ms, product: 'Microsoft Teams', version: '1.7.00.6058', description: 'Microsoft Teams', commands: ['"Teams.exe" --process-start-time={n}', '"Teams.exe" --type=gpu-process'], network: true, integrity: 'Medium' },
  { file: 'OneDrive.exe', folder: 'C:\\Users\\{user}\\AppData\\Local\\Microsoft\\OneDrive', company: ms, product: 'Microsoft OneDrive', version: '24.070.0407.0003', description: 'Microsoft OneDrive', commands: ['"OneDrive.exe" /background'], network: true, integrity: 'Medium' },
  { file: 'svchost.exe', folder: 'C:\\Windows\\System32', company: ms, product: win, version: '10.0.19041.3996', description: 'Host Process for Windows Services', commands: ['svchost.exe -k netsvcs -p -s Schedule', 'svchost.exe -k NetworkService -p -s Dnscache', 'svchost.exe -k LocalServiceNetworkRestricted -p'], network: true, integrity: 'System' },
  { file: 'MsMpEng.exe', folder: 'C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24040.4-0', company: ms, product: win, version: '4.18.24040.4', description: 'Antimalware Service Executable', commands: ['"MsMpEng.exe"'], network: true, integrity: 'System' },
  { file: 'powershell.exe', folder: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0', company: ms, product: win, version: '10.0.19041.3996', description: 'Windows PowerShell', commands: ['powershell.exe -NoProfile -ExecutionPolicy Bypass -File C:\\ProgramData\\IT\\inventory.ps1', 'powershell.exe Get-Service | Where-Object {$_.Status -eq "Running"}', '"powershell.exe" -NoLogo'], network: true, integrity: 'High' },
  { file: 'cmd.exe', folder: 'C:\\Windows\\System32', company: ms, product: win, version: '10.0.19041.3996', description: 'Windows Command Processor', commands: ['cmd.exe /c ipconfig /all', 'cmd.exe /c "C:\\ProgramData\\IT\\logon.bat"', 'cmd.exe /c dir C:\\Users\\{user}\\Documents'], network: false, integrity: 'Medium' },
  { file: 'explorer.exe', folder: 'C:\\Windows', company: ms, product: win, version: '10.0.19041.4170', description: 'Windows Explorer', commands: ['C:\\Windows\\Explorer.EXE'], network: false, integrity: 'Medium' },
  { file: 'WINWORD.EXE', folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16', company: ms, product: 'Microsoft Office', version: '16.0.17531.20152', description: 'Microsoft Word', commands: ['"WINWORD.EXE" /n "C:\\Users\\{user}\\Documents\\{file}"'], network: true, integrity: 'Medium' },
  { file: 'EXCEL.EXE', folder: 'C:\\Program Files\\Microsoft Office\\root\\Office16', company: ms, product: 'Microsoft Office', version: '16.0.17531.20152', description: 'Microsoft Excel', commands: ['"EXCEL.EXE" "C:\\Users\\{user}\\Documents\\{file}"'], network: true, integrity: 'Medium' },
  { file: 'Code.exe', folder: 'C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code', company: ms, product: 'Visual Studio Code', version: '1.89.1', description: 'Visual Studio Code', commands: ['"Code.exe" --type=utility', '"Code.exe" C:\\src\\platform'], network: true, integrity: 'Medium' },
  { file: 'git.exe', folder: 'C:\\Program Files\\Git\\cmd', company: 'The Git Development Community', product: 'Git', version: '2.45.1', description: 'Git for Windows', commands: ['git.exe fetch origin', 'git.exe pull --rebase', 'git.exe status'], network: true, integrity: 'Medium' },
  { file: 'SearchProtocolHost.exe', folder: 'C:\\Windows\\System32', company: ms, product: win, version: '10.0.19041.3996', description: 'Microsoft Windows Search Protocol Host', commands: ['"SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe{n}'], network: false, integrity: 'System' },
  { file: 'taskhostw.exe', folder: 'C:\\Windows\\System32', company: ms, product: win, version: '10.0.19041.3996', description: 'Host Process for Windows Tasks', commands: ['taskhostw.exe {n}'], network: false, integrity: 'Medium' },
  { file: 'lsass.exe', folder: 'C:\\Windows\\System32', company: ms, product: win, version: '10.0.19041.3996', description: 'Local Security Authority Process', commands: ['C:\\Windows\\system32\\lsass.exe'], network: true, integrity: 'System' },
  { file: 'rundll32.exe', folder: 'C:\\Windows\\System32', company: ms, product: win, version: '10.0.19041.3996', description: 'Windows host process (Rundll32)', commands: ['rundll32.exe shell32.dll,Control_RunDLL', 'rundll32.exe C:\\Windows\\System32\\printui.dll,PrintUIEntryDPIAware'], network: false, integrity: 'Medium' },
];

export const parentPrograms = ['explorer.exe', 'svchost.exe', 'services.exe', 'userinit.exe', 'cmd.exe', 'powershell.exe'] as const;

export const documentNames = ['Q3-Report.xlsx', 'Budget 2024.xlsx', 'Proposal.docx', 'Minutes.docx', 'Roadmap.pptx', 'notes.txt', 'Contract_v3.pdf'] as const;

export const cloudApps: readonly (readonly [string, number, readonly string[]])[] = [
  ['Microsoft Exchange Online', 20988, ['MailItemsAccessed', 'Send', 'MoveToDeletedItems']],
  ['Microsoft SharePoint Online', 20892, ['FileAccessed', 'FileDownloaded', 'FileModified', 'FileUploaded']],
  ['Microsoft OneDrive for Business', 15600, ['FileAccessed', 'FileSyncDownloadedFull', 'FileUploaded']],
  ['Microsoft Teams', 28375, ['MessageSent', 'MemberAdded', 'MeetingParticipantDetail']],
  ['Microsoft Azure', 12260, ['Write VirtualMachines', 'ListKeys StorageAccounts']],
];
