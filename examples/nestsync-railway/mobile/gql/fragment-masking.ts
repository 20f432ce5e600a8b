/* eslint-disable */
export type FragmentType<T> = T;
export function useFragment<T>(_fragment: unknown, data: T): T { return data; }
