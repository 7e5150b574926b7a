/**
 * The registry of error codes: `area/kebab-name` → HTTP status and a one-line meaning.
 * Add a code here before using it; `ErrorCode` is derived from this table so an unregistered
 * code does not compile.
 */
export interface ErrorCodeInfo {
  readonly status: number;
  readonly meaning: string;
}

export const errorCodes = {
  // core
  'core/internal': { status: 500, meaning: 'An unexpected internal error.' },
  'core/not-built': { status: 500, meaning: 'The package has not been compiled.' },
  'core/bad-config': { status: 400, meaning: 'A configuration value is invalid.' },
  'core/bad-argument': { status: 400, meaning: 'A command-line argument or parameter is invalid.' },
  'core/not-found': { status: 404, meaning: 'The requested resource does not exist.' },
  'core/too-large': { status: 413, meaning: 'The request body or file exceeds the size limit.' },
  'core/unsupported-media-type': { status: 415, meaning: 'The content type is not accepted here.' },
  'core/rate-limited': { status: 429, meaning: 'Too many requests; retry later.' },
  'core/shutting-down': { status: 503, meaning: 'The server is shutting down.' },
  // catalog
  'catalog/unknown-table': { status: 400, meaning: 'No table of that name is in the catalog.' },
  'catalog/unknown-column': { status: 400, meaning: 'No column of that name is in the table.' },
  'catalog/bad-type': { status: 400, meaning: 'Not a KQL scalar type name.' },
  'catalog/bad-column': { status: 400, meaning: 'A column name is invalid or duplicated in a table definition.' },
  'catalog/bad-table': { status: 400, meaning: 'A table definition is invalid (name, time column, entity columns).' },
  'catalog/duplicate-table': { status: 409, meaning: 'A table of that name is already registered.' },
  // store
  'store/locked': { status: 503, meaning: 'Another process owns the data directory.' },
  'store/open-failed': { status: 500, meaning: 'The store could not be opened.' },
  'store/migration-failed': { status: 500, meaning: 'A schema migration failed.' },
  'store/query-failed': { status: 500, meaning: 'The database rejected a statement.' },
  'store/cancelled': { status: 499, meaning: 'The statement was cancelled.' },
  'store/timeout': { status: 504, meaning: 'The statement exceeded its time limit.' },
  'store/closed': { status: 503, meaning: 'The store has been closed.' },
  'store/bad-row': { status: 400, meaning: 'A row does not fit the table schema.' },
  // kql
  'kql/syntax-error': { status: 400, meaning: 'The query text is not valid KQL syntax.' },
  'kql/semantic-error': { status: 400, meaning: 'The query does not bind (types, arguments, names).' },
  'kql/unknown-table': { status: 400, meaning: 'The query names a table that does not exist.' },
  'kql/unknown-column': { status: 400, meaning: 'The query names a column that does not exist.' },
  'kql/unknown-function': { status: 400, meaning: 'The query calls a function that does not exist.' },
  'kql/unsupported': { status: 400, meaning: 'The query uses a KQL feature Quarry does not support yet.' },
  'kql/empty-query': { status: 400, meaning: 'The query text holds no query.' },
  'kql/bad-literal': { status: 400, meaning: 'A literal value cannot be read.' },
  // hunt
  'hunt/timeout': { status: 504, meaning: 'The query exceeded its time limit.' },
  'hunt/cancelled': { status: 499, meaning: 'The query was cancelled.' },
  'hunt/bad-timespan': { status: 400, meaning: 'The timespan is not an ISO 8601 duration or interval.' },
  'hunt/externaldata-failed': { status: 400, meaning: 'An externaldata source could not be read.' },
  // api
  'api/bad-request': { status: 400, meaning: 'The request is malformed.' },
  'api/unauthorized': { status: 401, meaning: 'Credentials are missing or invalid.' },
  'api/forbidden': { status: 403, meaning: 'The caller may not do this.' },
  'api/not-found': { status: 404, meaning: 'No such route or resource.' },
  'api/method-not-allowed': { status: 405, meaning: 'The route does not accept this method.' },
  // auth
  'auth/bad-credentials': { status: 401, meaning: 'The user name, password or token is wrong.' },
  'auth/expired': { status: 401, meaning: 'The session or token has expired or was revoked.' },
  'auth/csrf': { status: 403, meaning: 'A cookie-authenticated write lacks a valid CSRF token.' },
  'auth/login-throttled': { status: 429, meaning: 'Too many failed logins; retry after the delay given.' },
  'auth/user-exists': { status: 409, meaning: 'A user of that name already exists.' },
  'auth/unknown-user': { status: 404, meaning: 'No user of that name exists.' },
  'auth/unknown-token': { status: 404, meaning: 'No API token with that id exists.' },
  'auth/bad-role': { status: 400, meaning: 'Not a role name (reader, analyst, admin) or above what the owner holds.' },
  'auth/weak-password': { status: 400, meaning: 'The password is too short or too common.' },
  'auth/bad-route-config': { status: 500, meaning: 'A route declares an invalid auth configuration.' },
  'hunt/quota-exceeded': { status: 429, meaning: 'The caller used up its hunting time quota; retry after the delay given.' },
  'hunt/unknown-query': { status: 404, meaning: 'No running query with that id belongs to the caller.' },
  'hunt/unknown-saved-query': { status: 404, meaning: 'No saved query with that id exists.' },
  // ingest
  'ingest/bad-row': { status: 400, meaning: 'A row failed validation.' },
  'ingest/bad-format': { status: 400, meaning: 'The input is not in the declared format.' },
  'ingest/queue-full': { status: 429, meaning: 'The ingest queue is full; retry later.' },
  // intel
  'intel/bad-pattern': { status: 400, meaning: 'A STIX pattern does not parse.' },
  'intel/bad-object': { status: 400, meaning: 'A STIX object is missing required properties or has invalid values.' },
  'intel/bad-format': { status: 400, meaning: 'An intel file is not in a recognised format (STIX, MISP, CSV, text).' },
  'intel/not-found': { status: 404, meaning: 'No intel object, profile, article or project of that id.' },
  'intel/taxii-error': { status: 502, meaning: 'A TAXII server answered with an error or an unexpected body.' },
  'intel/taxii-not-acceptable': { status: 406, meaning: 'The Accept header names no TAXII 2.1 media type.' },
  // blob (storage and signed URLs; `details.azureCode` carries Azure's error code)
  'blob/bad-name': { status: 400, meaning: 'A container or blob name is invalid.' },
  'blob/not-found': { status: 404, meaning: 'The container or blob does not exist.' },
  'blob/exists': { status: 409, meaning: 'The container or stored access policy already exists.' },
  'blob/authentication-failed': { status: 403, meaning: 'The signed URL is malformed, expired, revoked or its signature does not match.' },
  'blob/permission-mismatch': { status: 403, meaning: 'The signed URL does not grant this operation or resource.' },
  'blob/protocol-mismatch': { status: 403, meaning: 'The signed URL allows only https.' },
  'blob/ip-mismatch': { status: 403, meaning: 'The signed URL does not allow the caller\'s IP address.' },
  'hunt/externaldata-blocked': { status: 403, meaning: 'An externaldata URL targets a private, loopback or link-local address not on the allow-list.' },
  // generate
  'generate/bad-option': { status: 400, meaning: 'A generator option is invalid.' },
  // explorer
  'explorer/unknown-dataset': { status: 400, meaning: 'No Explorer data set of that name.' },
  'explorer/bad-artifact': { status: 400, meaning: 'The search text is not an artifact Explorer recognises.' },
  'explorer/bad-input': { status: 400, meaning: 'Collector input (log, COF, WHOIS, RDAP) cannot be read.' },
  'explorer/crawl-failed': { status: 502, meaning: 'The crawler could not start the browser or load a page.' },
  'api/bad-odata': { status: 400, meaning: 'An OData query option ($filter, $orderby, $top, …) is invalid.' },
  // detect
  'detect/bad-rule': { status: 400, meaning: 'A detection rule is invalid (fields, query, required columns).' },
  'detect/bad-yaml': { status: 400, meaning: 'A rule file is not valid YAML of the supported subset.' },
  'detect/unknown-rule': { status: 404, meaning: 'No detection rule with that id exists.' },
  'detect/unknown-incident': { status: 404, meaning: 'No incident with that id or number exists.' },
  'detect/unknown-alert': { status: 404, meaning: 'No alert with that id exists.' },
  'detect/bad-update': { status: 400, meaning: 'An incident update is invalid (status, classification, owner).' },
  'detect/run-failed': { status: 500, meaning: 'A rule run failed; see the run history for the error.' },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(s: string): s is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorCodes, s);
}
