import { XMLParser } from 'fast-xml-parser';

/** Attributes under '@_' so they never collide with child elements of the same name. */
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, parseAttributeValue: false });

export type XmlNode = Record<string, unknown>;

export const isNode = (value: unknown): value is XmlNode => typeof value === 'object' && value !== null && !Array.isArray(value);

/** the parser gives one element as an object and repeated ones as an array */
export const children = (node: XmlNode | undefined, name: string): XmlNode[] => {
  const value = node?.[name];
  return (Array.isArray(value) ? value : [value]).filter(isNode);
};

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined => children(node, name)[0];

export const attr = (node: XmlNode | undefined, name: string): string | undefined => {
  const value = node?.[`@_${name}`];
  return typeof value === 'string' ? value : undefined;
};

/** an element's text, whether or not it also has attributes */
export const text = (node: XmlNode | undefined, name: string): string | undefined => {
  const value = node?.[name];
  if (typeof value === 'string') return value;
  return isNode(value) && typeof value['#text'] === 'string' ? value['#text'] : undefined;
};

export function parseXmlRoot(xml: string, root: string): XmlNode {
  const node = child(parser.parse(xml) as XmlNode, root);
  if (!node) throw new Error(`expected a <${root}> document from virsh`);
  return node;
}
