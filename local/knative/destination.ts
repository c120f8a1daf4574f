/** A Knative destination: a reference to an object (a Service, a KafkaSink) or a URI. */
export interface Destination {
  ref?: { kind: string; name: string };
  uri?: string;
}

/** The URL a destination names here, from the URLs the platform gave its objects ("<kind>/<name>"). */
export function resolveSink(
  destination: Destination | undefined,
  sinkUrls: Map<string, string>,
  owner: string,
): string | undefined {
  if (!destination) return undefined;
  if (destination.uri) return destination.uri;
  const url = destination.ref ? sinkUrls.get(`${destination.ref.kind}/${destination.ref.name}`) : undefined;
  if (!url) throw new Error(`${owner}: no ${destination.ref?.kind ?? 'sink'} named ${destination.ref?.name ?? '?'}`);
  return url;
}
