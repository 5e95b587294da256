/**
 * The surrounding agent's associated store: one engine and one store that
 * every object of the namespace lives in, created on first use so that
 * importing the namespace does nothing.
 */

import { Engine, Store } from '../index.js';

let store: Store | undefined;

export function agentStore(): Store {
  store ??= new Store(new Engine());
  return store;
}
