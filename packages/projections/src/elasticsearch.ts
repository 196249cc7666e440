import { Client, errors } from "@elastic/elasticsearch";

export interface ElasticsearchSettings {
  node: string;
  requestTimeoutMs: number;
}

export const connectElasticsearch = (settings: ElasticsearchSettings): Client =>
  new Client({ node: settings.node, requestTimeout: settings.requestTimeoutMs, maxRetries: 3 });

export const isStatus = (error: unknown, status: number): boolean =>
  error instanceof errors.ResponseError && error.statusCode === status;

/**
 * Installs the index template for `<alias>-*` and, when the alias does not exist yet,
 * creates the first concrete index behind it. Safe to run at every start, from many processes.
 */
export const ensureIndex = async (
  es: Client,
  index: { alias: string; settings: Record<string, unknown>; mappings: Record<string, unknown> },
): Promise<void> => {
  await es.indices.putIndexTemplate({
    name: index.alias,
    index_patterns: [`${index.alias}-*`],
    template: { settings: index.settings, mappings: index.mappings },
  });
  if (await es.indices.existsAlias({ name: index.alias })) return;
  try {
    await es.indices.create({
      index: `${index.alias}-${Date.now()}`,
      aliases: { [index.alias]: { is_write_index: true } },
    });
  } catch (error) {
    // Another process won the race; one of the two indices then has the alias.
    if (!(await es.indices.existsAlias({ name: index.alias }))) throw error;
  }
};
