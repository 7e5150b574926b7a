/**
 * Zod descriptions of the Graph threat-intelligence answers (shared/reference/mdti.md §2.1) and the OData
 * query options, for the OpenAPI document (`config.openapi.query` / `config.openapi.response`) and for
 * tests that check answers against them. They describe; the routes do not parse answers through them.
 */
import { z } from 'zod';

const iso = z.string().describe('ISO 8601 date and time, UTC');
const formatted = z.object({ content: z.string(), format: z.enum(['text', 'html', 'markdown']) }).strict().describe('microsoft.graph.security.formattedContent');
const artifact = z
  .object({
    '@odata.type': z.enum(['#microsoft.graph.security.hostname', '#microsoft.graph.security.ipAddress', '#microsoft.graph.security.unclassifiedArtifact']),
    id: z.string(),
    kind: z.string().optional(),
    value: z.string().optional(),
  })
  .strict()
  .describe('microsoft.graph.security.artifact (hostname, ipAddress or unclassifiedArtifact {kind, value})');
const source = z.enum(['microsoft', 'osint', 'public']);

export const intelProfileSchema = z
  .object({
    '@odata.type': z.literal('#microsoft.graph.security.intelligenceProfile'),
    id: z.string(),
    kind: z.enum(['actor', 'tool']),
    title: z.string(),
    firstActiveDateTime: iso.nullable(),
    aliases: z.array(z.string()),
    targets: z.array(z.string()),
    countriesOrRegionsOfOrigin: z.array(z.object({ code: z.string(), label: z.string() }).strict()),
    summary: formatted,
    description: formatted,
    tradecraft: formatted,
  })
  .strict();

export const profileIndicatorSchema = z
  .object({
    '@odata.type': z.literal('#microsoft.graph.security.intelligenceProfileIndicator'),
    id: z.string(),
    source,
    firstSeenDateTime: iso.nullable(),
    lastSeenDateTime: iso.nullable(),
    artifact: artifact.nullable(),
  })
  .strict();

export const articleSchema = z
  .object({
    '@odata.type': z.literal('#microsoft.graph.security.article'),
    id: z.string(),
    title: z.string(),
    summary: formatted,
    body: formatted,
    imageUrl: z.string().nullable(),
    isFeatured: z.boolean(),
    tags: z.array(z.string()),
    createdDateTime: iso,
    lastUpdatedDateTime: iso,
  })
  .strict();

export const articleIndicatorSchema = z
  .object({ '@odata.type': z.literal('#microsoft.graph.security.articleIndicator'), id: z.string(), source, artifact })
  .strict();

const cvss = z.object({ score: z.number().nullable(), severity: z.string().nullable(), vectorString: z.string().nullable() }).strict();
const hyperlink = z.object({ name: z.string(), url: z.string() }).strict();

export const vulnerabilitySchema = z
  .object({
    '@odata.type': z.literal('#microsoft.graph.security.vulnerability'),
    id: z.string().describe('CVE id'),
    createdDateTime: iso,
    lastModifiedDateTime: iso,
    publishedDateTime: iso,
    description: formatted,
    remediation: formatted,
    priorityScore: z.number().int().nullable(),
    severity: z.enum(['none', 'low', 'medium', 'high', 'critical']).nullable(),
    commonWeaknessEnumerationIds: z.array(z.string()),
    cvss2Summary: cvss.nullable(),
    cvss3Summary: cvss.nullable(),
    hasChatter: z.boolean(),
    exploitsAvailable: z.boolean(),
    activeExploitsObserved: z.boolean(),
    exploits: z.array(hyperlink),
    references: z.array(hyperlink),
  })
  .strict();

export const vulnerabilityComponentSchema = z
  .object({ '@odata.type': z.literal('#microsoft.graph.security.vulnerabilityComponent'), id: z.string(), name: z.string() })
  .strict();

/** `{@odata.context, @odata.count?, @odata.nextLink?, value: [...]}` */
export function collectionOf<T extends z.ZodType>(item: T) {
  return z
    .object({
      '@odata.context': z.string(),
      '@odata.count': z.number().int().optional(),
      '@odata.nextLink': z.string().optional(),
      value: z.array(item),
    })
    .strict();
}

/** A single entity with its `@odata.context`. */
export function entityOf<T extends z.ZodObject>(item: T) {
  return item.extend({ '@odata.context': z.string() });
}

export const odataQuerySchema = z.object({
  $top: z.string().optional().describe('page size, 0–1000; more results are linked by @odata.nextLink'),
  $skip: z.string().optional().describe('items to skip'),
  $filter: z.string().optional().describe("eq, ne, gt, ge, lt, le, in, and, or, not: e.g. kind eq 'actor'"),
  $orderby: z.string().optional().describe('property [asc|desc], comma-separated'),
  $select: z.string().optional().describe('comma-separated top-level properties'),
  $count: z.enum(['true', 'false']).optional().describe('include @odata.count'),
});

export const searchQuerySchema = odataQuerySchema.extend({ $search: z.string().optional().describe('"text" in names, aliases or content') });
