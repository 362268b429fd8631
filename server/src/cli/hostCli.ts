// The commands that may reach a host, loaded together (lazy.ts) when one of them runs or `check --host`
// reads a live inventory: they share the host layer and the SSH stack.
export { fetchInventoryForCli, runInventoryCommand } from './hostCommands';
export { runAttachCommand } from './attachCommand';
export { runNetworkCli } from './networkCommand';
export { runDefineCli } from './defineCommand';
export { runNewInterfaceCommand } from './newInterfaceCommand';
export { runReadinessCommand } from './readinessCommand';
export { runVfsCommand } from './vfsCommand';
