/* eslint-disable */
import * as types from './graphql';

const documents = {
  "\n  query Home {\n    me {\n      id\n      firstName\n      children {\n        id\n        ...ChildCard\n      }\n    }\n  }\n": types.HomeDocument,
};

export function graphql(source: string): unknown {
  return (documents as any)[source] ?? {};
}
