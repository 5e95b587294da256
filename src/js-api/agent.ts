/**
 * The surrounding agent's associated store: one engine and one store that
 * every object of the namespace lives in, created on first use so that
 * importing the namespace does nothing.
 */

import { Engine, Store } from '../index.js';
import type { Tier } from '../host/engine.js';

let store: Store | undefined;
let tier: Tier = 'auto';

export function agentStore(): Store {
  store ??= new Store(new Engine({ tier }));
  return store;
}

/** Chooses the tier of the agent's engine; it is fixed once the namespace is first used. */
export function setAgentTier(wanted: Tier): void {
  if (store !== undefined) {
    if (wanted !== 'auto' && wanted !== store.engine.tier) {
      throw new Error(`the WebAssembly namespace already runs on the ${store.engine.tier} tier; choose the tier before first use`);
    }
    return;
  }
  // Resolve now, so that a tier the host cannot run fails here, at install().
  new Engine({ tier: wanted });
  tier = wanted;
}
