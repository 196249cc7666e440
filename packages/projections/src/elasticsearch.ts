import { Client, errors } from "@elastic/elasticsearch";

export interface ElasticsearchSettings {
  node: string;
  requestTimeoutMs: number;
  /** Retries after a failed attempt (default 1): each costs up to `requestTimeoutMs` more. */
  maxRetries?: number;
  /** An API key, or a user and password (e.g. ECK's), for a cluster with security on. */
  apiKey?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** Connect over TLS, trusting this CA (PEM). */
  tls?: { ca: string } | undefined;
}

export const connectElasticsearch = (settings: ElasticsearchSettings): Client =>
  new Client({
    node: settings.node,
    requestTimeout: settings.requestTimeoutMs,
    maxRetries: settings.maxRetries ?? 1,
    ...(settings.apiKey
      ? { auth: { apiKey: settings.apiKey } }
      : settings.username
        ? { auth: { username: settings.username, password: settings.password ?? "" } }
        : {}),
    ...(settings.tls ? { tls: { ca: settings.tls.ca, rejectUnauthorized: true } } : {}),
  });

export const isStatus = (error: unknown, status: number): boolean => error instanceof errors.ResponseError && error.statusCode === status;

export interface IndexDefinition {
  alias: string;
  settings: Record<string, unknown>;
  mappings: Record<string, unknown>;
}

/**
 * Installs (or updates) the index template every concrete index `<alias>-*` is created from.
 * Patterns of two aliases can overlap (`orders-*` also matches `orders-archive-1`); Elasticsearch
 * refuses that at equal priority, so the longer, more specific alias gets the higher priority.
 */
export const putIndexTemplate = async (es: Client, index: IndexDefinition, options: IndexOptions = {}): Promise<void> => {
  await es.indices.putIndexTemplate({
    name: index.alias,
    priority: index.alias.length,
    index_patterns: [`${index.alias}-*`],
    template: {
      settings: { ...index.settings, ...(options.replicas === undefined ? {} : { number_of_replicas: options.replicas }) },
      mappings: index.mappings,
    },
  });
};

/** What a deployment sets for every read model's index: copies of each shard (`ELASTICSEARCH_REPLICAS`). */
export interface IndexOptions {
  replicas?: number;
}

/** A new concrete index for an alias, named so it sorts by creation time. */
export const newIndexName = (alias: string): string => `${alias}-${Date.now()}`;

/**
 * Installs the index template and, when the alias does not exist yet, creates the first
 * concrete index behind it. Safe to run at every start, from many processes.
 */
export const ensureIndex = async (es: Client, index: IndexDefinition, options: IndexOptions = {}): Promise<void> => {
  await putIndexTemplate(es, index, options);
  if (await es.indices.existsAlias({ name: index.alias })) return;
  try {
    await es.indices.create({ index: newIndexName(index.alias), aliases: { [index.alias]: { is_write_index: true } } });
  } catch (error) {
    // Another process won the race; one of the two indices then has the alias.
    if (!(await es.indices.existsAlias({ name: index.alias }))) throw error;
  }
};

/** The concrete indices an alias points at now. */
export const indicesOf = async (es: Client, alias: string): Promise<string[]> => {
  const result = await es.indices.getAlias({ name: alias }, { ignore: [404] });
  return Object.keys(result).filter((name) => name !== "error" && name !== "status");
};
