// STUB (owned by the rules work): every diagnostic for a document.
import type { Problem, ServiceContext } from './types';

export function validate(text: string, context: ServiceContext = {}): Problem[] {
  void text;
  void context;
  return [];
}
